/**
 * Log records of a district: a wire-shaped payload in its stream (branded ids
 * are plain strings here; the validator checks them).
 *
 * @since 0.1.0
 */
import type { EventCodec, Events } from "@xueshi/core"

/**
 * A record of a category's stream `category-id` (schema version 1, no envelope).
 *
 * @category utils
 * @since 0.1.0
 */
export const record = (
  category: Events.StreamCategory,
  id: string,
  type: Events.EventType,
  data: object
): EventCodec.LogRecord =>
  ({ stream: `${category}-${id}`, type, data, schemaVersion: 1 }) as unknown as EventCodec.LogRecord
