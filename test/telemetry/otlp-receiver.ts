import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An attribute value as OTLP/JSON encodes it. */
interface AnyValue {
  stringValue?: string
  intValue?: number | string
  doubleValue?: number
  boolValue?: boolean
}

interface KeyValue {
  key: string
  value: AnyValue
}

/** A span as received, with its attributes as a plain object. */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  name: string
  /** OTLP's enum: 1 internal, 3 client. */
  kind: number
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  statusCode: number
  attributes: Record<string, unknown>
  resource: Record<string, unknown>
}

/** One data point of a metric, with its value (sums and gauges) or its count and sum (histograms). */
export interface ReceivedPoint {
  metric: string
  unit: string
  attributes: Record<string, unknown>
  value: number | undefined
  count: number | undefined
}

/** One HTTP request the receiver got. */
export interface ReceivedRequest {
  path: string
  contentType: string
  bytes: number
}

/**
 * A local OTLP/HTTP receiver, as a collector listens on 4318: it accepts `POST /v1/traces` and
 * `/v1/metrics`, decodes JSON bodies (OTEL_EXPORTER_OTLP_PROTOCOL=http/json) and keeps what they
 * held; protobuf bodies are only logged with their size.
 */
export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = []
  readonly spans: ReceivedSpan[] = []
  /** Cumulative metrics: a later export of the same point replaces the earlier one. */
  readonly #points = new Map<string, ReceivedPoint>()
  readonly #server: Server

  private constructor(server: Server) {
    this.#server = server
  }

  static async start(): Promise<OtlpReceiver> {
    const server = createServer()
    const receiver = new OtlpReceiver(server)
    server.on('request', (request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks)
        const contentType = request.headers['content-type'] ?? ''
        receiver.requests.push({ path: request.url ?? '', contentType, bytes: body.length })
        if (contentType.startsWith('application/json')) receiver.#take(request.url ?? '', JSON.parse(body.toString('utf8')) as unknown)
        response.writeHead(200, {
          'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf',
        })
        response.end(contentType.startsWith('application/json') ? '{}' : '')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return receiver
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  get points(): ReceivedPoint[] {
    return [...this.#points.values()]
  }

  /** The points of one metric. */
  metric(name: string): ReceivedPoint[] {
    return this.points.filter((point) => point.metric === name)
  }

  clear(): void {
    this.requests.length = 0
    this.spans.length = 0
    this.#points.clear()
  }

  stop(): Promise<void> {
    return new Promise((resolve, reject) => this.#server.close((error) => (error === undefined ? resolve() : reject(error))))
  }

  #take(path: string, body: unknown): void {
    if (path === '/v1/traces') this.#takeSpans(body as TracesBody)
    if (path === '/v1/metrics') this.#takeMetrics(body as MetricsBody)
  }

  #takeSpans(body: TracesBody): void {
    for (const { resource, scopeSpans } of body.resourceSpans) {
      for (const { spans } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
            name: span.name,
            kind: span.kind,
            statusCode: span.status?.code ?? 0,
            attributes: attributesOf(span.attributes),
            resource: attributesOf(resource.attributes),
          })
        }
      }
    }
  }

  #takeMetrics(body: MetricsBody): void {
    for (const { scopeMetrics } of body.resourceMetrics) {
      for (const { metrics } of scopeMetrics) {
        for (const metric of metrics) {
          const points = metric.sum?.dataPoints ?? metric.gauge?.dataPoints ?? metric.histogram?.dataPoints ?? []
          for (const point of points) {
            const attributes = attributesOf(point.attributes)
            const value = point.asDouble ?? (point.asInt === undefined ? undefined : Number(point.asInt))
            const count = point.count === undefined ? undefined : Number(point.count)
            const received = { metric: metric.name, unit: metric.unit ?? '', attributes, value, count }
            this.#points.set(`${metric.name} ${JSON.stringify(Object.entries(attributes).sort())}`, received)
          }
        }
      }
    }
  }
}

function attributesOf(attributes: readonly KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const { key, value } of attributes ?? []) {
    out[key] =
      value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue === undefined ? undefined : Number(value.intValue))
  }
  return out
}

interface TracesBody {
  resourceSpans: {
    resource: { attributes?: KeyValue[] }
    scopeSpans: {
      spans: {
        traceId: string
        spanId: string
        parentSpanId?: string
        name: string
        kind: number
        status?: { code?: number }
        attributes?: KeyValue[]
      }[]
    }[]
  }[]
}

interface DataPoint {
  attributes?: KeyValue[]
  asDouble?: number
  asInt?: number | string
  count?: number | string
}

interface MetricsBody {
  resourceMetrics: {
    scopeMetrics: {
      metrics: {
        name: string
        unit?: string
        sum?: { dataPoints: DataPoint[] }
        gauge?: { dataPoints: DataPoint[] }
        histogram?: { dataPoints: DataPoint[] }
      }[]
    }[]
  }[]
}
