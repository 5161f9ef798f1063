// Every package builds the same way: see scripts/tsup.shared.ts.
export { default } from "../../scripts/tsup.shared.ts"
