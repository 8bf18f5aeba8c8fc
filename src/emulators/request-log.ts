/** One vendor request as `GET /_emulator/requests` lists it. Headers and bodies are never kept: they carry credentials and data. */
export interface RequestLogEntry {
  /** When the request arrived (ISO 8601, the emulator's wall clock). */
  time: string
  method: string
  /** The path, without the query string. */
  path: string
  /** The vendor operation the path matched (an OpenAPI operationId where the vendor has one). */
  operation?: string
  /** The status answered; `null` when a fault dropped the connection. */
  status: number | null
  durationMs: number
  /** The fault rule kinds that applied, if any. */
  faults?: ('status' | 'delay' | 'drop')[]
}

/** The most recent requests, oldest first, capped at a size. */
export class RequestLog {
  readonly #size: number
  #entries: RequestLogEntry[] = []

  constructor(size: number) {
    this.#size = size
  }

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry)
    if (this.#entries.length > this.#size) this.#entries.splice(0, this.#entries.length - this.#size)
  }

  list(): RequestLogEntry[] {
    return [...this.#entries]
  }

  clear(): void {
    this.#entries = []
  }
}
