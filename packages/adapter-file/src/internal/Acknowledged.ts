/**
 * The acknowledged mark (option `recordAcknowledged`): a small fixed-size file
 * `segments/ACKNOWLEDGED` naming the active segment and the size of its
 * acknowledged prefix, overwritten in place after each commit's flush and
 * flushed itself. Opening compares it with the segment: a segment shorter than
 * what was acknowledged lost acknowledged events, even when it was cut exactly
 * at an append boundary past its last summary (which the lines alone cannot
 * tell). Without the option the log promises what its summaries and sealed
 * segments cover (see docs/adapters/file-recovery.md).
 *
 * @internal
 */
import type { FileHandle } from "node:fs/promises"
import { open } from "node:fs/promises"
import { crcHex } from "../FileFormat.js"
import type { Io } from "./Io.js"
import { readIfExists } from "./Io.js"

export const ACK_FILE = "ACKNOWLEDGED"

export interface Acknowledged {
  readonly segment: string
  readonly size: number
}

/** `{"segment":"…","size":"<20 digits>","crc":"hhhhhhhh"}\n`: always the same length, so overwriting it is one write. */
export const encodeAck = (a: Acknowledged): Buffer => {
  const head = `{"segment":${JSON.stringify(a.segment)},"size":"${String(a.size).padStart(20, "0")}","crc":"`
  return Buffer.from(`${head}${crcHex(Buffer.from(head))}"}\n`)
}

/** The mark, or `undefined` if there is none or it is torn (then it promises nothing). */
export const readAck = async (path: string): Promise<Acknowledged | undefined> => {
  const bytes = await readIfExists(path)
  if (bytes === undefined) return undefined
  const text = bytes.toString("utf8")
  const m = /^(\{"segment":("\d{20}\.jsonl"),"size":"(\d{20})","crc":")([0-9a-f]{8})"\}\n$/.exec(text)
  if (m === null || crcHex(Buffer.from(m[1] as string)) !== m[4]) return undefined
  return { segment: JSON.parse(m[2] as string) as string, size: Number(m[3]) }
}

/** Writes the mark in place after each commit. */
export class AckWriter {
  private constructor(
    private readonly io: Io,
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly durable: boolean
  ) {}

  private sized = false

  static async open(io: Io, path: string, durable: boolean): Promise<AckWriter> {
    const handle = await open(path, "a+").then(async (h) => {
      await h.close()
      return open(path, "r+")
    })
    return new AckWriter(io, path, handle, durable)
  }

  async write(a: Acknowledged): Promise<void> {
    const bytes = encodeAck(a)
    await this.io.writeAll(this.handle, this.path, bytes, 0)
    if (!this.sized) {
      await this.handle.truncate(bytes.length)
      this.sized = true
    }
    if (this.durable) await this.io.datasync(this.handle, this.path)
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}
