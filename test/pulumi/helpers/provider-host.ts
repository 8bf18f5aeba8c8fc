import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

import { PROJECT, STACK } from './mock-program.js'

/*
 * The dynamic-provider host shipped in @pulumi/pulumi, driven over gRPC as the Pulumi engine
 * drives it. Its generated protobuf modules are CommonJS without named exports, so they are
 * loaded with `require`, as the host loads them.
 */
const require = createRequire(import.meta.url)
const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js')
const { ResourceProviderClient } =
  require('@pulumi/pulumi/proto/provider_grpc_pb') as typeof import('@pulumi/pulumi/proto/provider_grpc_pb.js')
const rpc = require('@pulumi/pulumi/proto/provider_pb') as typeof import('@pulumi/pulumi/proto/provider_pb.js')
const { Struct } = require('google-protobuf/google/protobuf/struct_pb') as typeof import('google-protobuf/google/protobuf/struct_pb.js')

/** A property bag, as plain JSON. */
export type Props = Record<string, unknown>

/** Which resource a call is for. */
export interface ResourceRef {
  type: string
  name: string
}

/** What `diff` answered. */
export interface DiffAnswer {
  changes: 'unknown' | 'none' | 'some'
  replaces: string[]
  deleteBeforeReplace: boolean
}

/** A running provider host and the calls the engine makes to it. */
export interface ProviderHost {
  configure(config: Readonly<Record<string, string>>): Promise<void>
  check(resource: ResourceRef, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>
  diff(resource: ResourceRef, id: string, olds: Props, news: Props, oldInputs: Props): Promise<DiffAnswer>
  create(resource: ResourceRef, properties: Props): Promise<{ id: string; properties: Props }>
  read(
    resource: ResourceRef,
    id: string,
    properties: Props,
    inputs: Props,
  ): Promise<{ id: string; properties: Props; inputs: Props | undefined }>
  update(resource: ResourceRef, id: string, olds: Props, news: Props, oldInputs: Props): Promise<Props>
  delete(resource: ResourceRef, id: string, properties: Props): Promise<void>
  /** Everything the host printed after its port: the providers' logs and errors. */
  output(): string
  stop(): Promise<void>
}

/** A failed call: gRPC `code` (2 for an error thrown by a provider) and the message. */
export class HostCallError extends Error {
  override name = 'HostCallError'
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`gRPC ${code}: ${details}`)
  }
}

type Callback<Res> = (error: import('@grpc/grpc-js').ServiceError | null, response: Res) => void
type Unary<Req, Res> = (request: Req, callback: Callback<Res>) => unknown

/**
 * Starts the host as the engine does (`node .../cmd/dynamic-provider <engine address>`) in `cwd`,
 * which decides how the providers' `import('outflow/pulumi-runtime')` resolves, and connects to
 * the port it prints first.
 */
export async function startProviderHost(cwd: string): Promise<ProviderHost> {
  const child = spawn(process.execPath, [require.resolve('@pulumi/pulumi/cmd/dynamic-provider'), '127.0.0.1:1'], {
    cwd,
    env: { ...process.env, PULUMI_NODEJS_PROJECT: PROJECT },
  })
  let output = ''
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const lines = createInterface({ input: child.stdout })
  const port = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the provider host exited with ${code}: ${output}`)))
  })
  lines.on('line', (line) => (output += `${line}\n`))
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure())
  const call = <Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      method(request, (error, response) => (error === null ? resolve(response) : reject(new HostCallError(error.code, error.details))))
    })
  const urn = ({ type, name }: ResourceRef) => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`
  const struct = (props: Props) => Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0])
  const target = <T extends { setUrn(v: string): T; setType(v: string): T; setName(v: string): T }>(request: T, resource: ResourceRef) =>
    request.setUrn(urn(resource)).setType(resource.type).setName(resource.name)

  return {
    async configure(config) {
      await call(
        client.configure.bind(client) as Unary<InstanceType<typeof rpc.ConfigureRequest>, unknown>,
        new rpc.ConfigureRequest().setArgs(struct(config)),
      )
    },
    async check(resource, olds, news) {
      const request = target(new rpc.CheckRequest(), resource).setOlds(struct(olds)).setNews(struct(news))
      const response = await call(client.check.bind(client) as Unary<typeof request, InstanceType<typeof rpc.CheckResponse>>, request)
      const failures = response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }))
      return { inputs: response.getInputs()?.toJavaScript() ?? {}, failures }
    },
    async diff(resource, id, olds, news, oldInputs) {
      const request = target(new rpc.DiffRequest(), resource)
        .setId(id)
        .setOlds(struct(olds))
        .setNews(struct(news))
        .setOldInputs(struct(oldInputs))
      const response = await call(client.diff.bind(client) as Unary<typeof request, InstanceType<typeof rpc.DiffResponse>>, request)
      const changes = (['unknown', 'none', 'some'] as const)[response.getChanges()]
      return { changes, replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() }
    },
    async create(resource, properties) {
      const request = target(new rpc.CreateRequest(), resource).setProperties(struct(properties))
      const response = await call(client.create.bind(client) as Unary<typeof request, InstanceType<typeof rpc.CreateResponse>>, request)
      return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} }
    },
    async read(resource, id, properties, inputs) {
      const request = target(new rpc.ReadRequest(), resource).setId(id).setProperties(struct(properties)).setInputs(struct(inputs))
      const response = await call(client.read.bind(client) as Unary<typeof request, InstanceType<typeof rpc.ReadResponse>>, request)
      return {
        id: response.getId(),
        properties: response.getProperties()?.toJavaScript() ?? {},
        inputs: response.getInputs()?.toJavaScript(),
      }
    },
    async update(resource, id, olds, news, oldInputs) {
      const request = target(new rpc.UpdateRequest(), resource)
        .setId(id)
        .setOlds(struct(olds))
        .setNews(struct(news))
        .setOldInputs(struct(oldInputs))
      const response = await call(client.update.bind(client) as Unary<typeof request, InstanceType<typeof rpc.UpdateResponse>>, request)
      return response.getProperties()?.toJavaScript() ?? {}
    },
    async delete(resource, id, properties) {
      const request = target(new rpc.DeleteRequest(), resource).setId(id).setProperties(struct(properties))
      await call(client.delete.bind(client) as Unary<typeof request, unknown>, request)
    },
    output: () => output,
    async stop() {
      client.close()
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill()
      await exited
    },
  }
}
