import { createRequire } from 'node:module'

import * as pulumi from '@pulumi/pulumi'

import type { OutflowResources } from '../../../src/pulumi/index.js'

/** The project name the program runs under: config keys are `outflow-test:<NAME>`. */
export const PROJECT = 'outflow-test'
export const STACK = 'dev'

/** A resource the program declared, as the engine received it. */
export interface DeclaredResource {
  type: string
  name: string
  /** The id the mock engine gave it: its name, as the providers do. */
  id: string
  /** Its inputs, with `__provider` (the serialized provider, as `pulumi up` stores it) and secrets still wrapped. */
  inputs: Record<string, unknown>
  /** URNs of the resources it depends on. */
  dependencies: string[]
}

/** What the program did under the mocks. */
export interface ProgramRun {
  resources: DeclaredResource[]
  outflow: OutflowResources
}

/**
 * Runs `declareOutflow({ dir })` from the built `outflow/pulumi` (what users import, and what
 * serializes as `pulumi up` would) with `pulumi.runtime.setMocks` playing the engine, and
 * `secrets` as the stack's config secrets. Resolves once every resource is registered.
 */
export async function runProgram(dir: string, secrets: Readonly<Record<string, string>>): Promise<ProgramRun> {
  const resources: DeclaredResource[] = []
  const dependencies = new Map<string, string[]>()
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const inputs = args.inputs as Record<string, unknown>
        resources.push({ type: args.type, name: args.name, id: args.name, inputs, dependencies: dependencies.get(args.name) ?? [] })
        return { id: args.name, state: inputs }
      },
      call: (args) => args.inputs as Record<string, unknown>,
    },
    PROJECT,
    STACK,
    false,
  )
  recordDependencies(dependencies)
  const keys = Object.keys(secrets).map((name) => `${PROJECT}:${name}`)
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(secrets).map(([name, value]) => [`${PROJECT}:${name}`, value])), keys)
  // Loaded by Node itself, not through vitest: a transformed module would turn each provider's
  // `import()` into a call to vitest's loader, and that would be what gets serialized.
  const { declareOutflow } = createRequire(import.meta.url)('outflow/pulumi') as typeof import('outflow/pulumi')
  const outflow = await declareOutflow({ dir })
  await Promise.all([...Object.values(outflow.connections), ...Object.values(outflow.syncs)].map((resource) => valueOf(resource.id)))
  return { resources, outflow }
}

/** Records each resource's dependencies, which the mocks do not pass to `newResource`, from the requests the mock monitor receives. */
function recordDependencies(dependencies: Map<string, string[]>): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: MonitorCall }
  const register = monitor.registerResource.bind(monitor)
  monitor.registerResource = (request, callback) => {
    dependencies.set(request.getName(), request.getDependenciesList())
    register(request, callback)
  }
}

type MonitorCall = (request: { getName(): string; getDependenciesList(): string[] }, callback: unknown) => void

/** The value of an output, once known. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve))
}

/** A secret input as the mocks see it: the value inside Pulumi's secret wrapper, or undefined when it is not a secret. */
export function secretValue(input: unknown): unknown {
  const wrapped = input as Record<string, unknown> | undefined
  return wrapped?.[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig ? wrapped['value'] : undefined
}
