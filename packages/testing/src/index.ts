// Placeholder so the build tooling works; the real module index replaces this file.
export const __placeholder = true
