/**
 * Stream names: `<category>-<id>`.
 *
 * @since 0.1.0
 */
import type { StreamCategory } from "./Events.js"
import { STREAM_ID_PATTERN } from "./Ids.js"

/**
 * A parsed stream name.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamName {
  readonly category: StreamCategory
  readonly id: string
}

const CATEGORIES: ReadonlySet<string> = new Set(["school", "member", "class", "credit"])

/**
 * Parses `<category>-<id>`; `undefined` when the category is unknown or the id
 * does not match the stream-id pattern. Ids may contain `-` (`school-XQ-JMH`).
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseStreamName = (stream: string): StreamName | undefined => {
  const dash = stream.indexOf("-")
  if (dash <= 0) return undefined
  const category = stream.slice(0, dash)
  const id = stream.slice(dash + 1)
  if (!CATEGORIES.has(category) || !STREAM_ID_PATTERN.test(id)) return undefined
  return { category: category as StreamCategory, id }
}

/**
 * Formats a stream name.
 *
 * @category utils
 * @since 0.1.0
 */
export const streamName = (category: StreamCategory, id: string): string => `${category}-${id}`
