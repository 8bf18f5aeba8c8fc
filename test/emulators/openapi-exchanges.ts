import type { EmulatorExchange, OpenApiValidator } from '../../providers/emulators.js'

/** Collects every exchange of a test file, to check them all against the vendor's OpenAPI document afterwards. */
export class ExchangeRecorder {
  readonly exchanges: EmulatorExchange[] = []
  readonly record = (exchange: EmulatorExchange): void => {
    this.exchanges.push(exchange)
  }

  /** Problems of every response whose status the document describes, one line each; and the operations seen. */
  check(validator: OpenApiValidator): { problems: string[]; operations: Set<string>; checked: number } {
    const problems: string[] = []
    const operations = new Set<string>()
    let checked = 0
    for (const exchange of this.exchanges) {
      if (!validator.hasOperation(exchange.operation)) continue
      const found = validator.validateResponse(exchange.operation, exchange.status, exchange.responseBody)
      if (found === undefined) continue
      checked += 1
      operations.add(exchange.operation)
      for (const problem of found) problems.push(`${exchange.method} ${exchange.path} ${exchange.status}: ${problem}`)
    }
    return { problems, operations, checked }
  }
}
