/**
 * The typed errors of the log, and the mapping of what the file system throws
 * onto them.
 *
 * @internal
 */
import { StoreErrors } from "@xueshi/core"

export const SEGMENTS_DIR = "segments"

/** Where corruption is, as the location string of `StoreCorrupted`. */
export const formatLocation = (segment: string, offset: number, line: number): string =>
  `${SEGMENTS_DIR}/${segment} byte ${offset} line ${line}`

/** A `StoreCorrupted` naming segment, byte offset and line. */
export const corrupted = (message: string, segment: string, offset: number, line: number) =>
  new StoreErrors.StoreCorrupted({
    message: `${message} (${formatLocation(segment, offset, line)})`,
    location: formatLocation(segment, offset, line)
  })

/** A retryable `StoreUnavailable`. */
export const unavailable = (message: string, cause?: unknown) =>
  new StoreErrors.StoreUnavailable(cause === undefined ? { message } : { message, cause })

/** Maps anything thrown by the log to a typed store error. */
export const toStoreError = (e: unknown): StoreErrors.StoreUnavailable | StoreErrors.StoreCorrupted => {
  if (e instanceof StoreErrors.StoreUnavailable || e instanceof StoreErrors.StoreCorrupted) return e
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  const what =
    code === "ENOSPC" || code === "EDQUOT"
      ? "disk full"
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "permission denied"
        : code === "EIO"
          ? "I/O error"
          : "file system error"
  return unavailable(`${what}: ${(e as Error)?.message ?? String(e)}`, e)
}
