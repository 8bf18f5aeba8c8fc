import * as pulumi from '@pulumi/pulumi'

import type { DeclaredResource } from './mock-program.js'
import { startProviderHost, type ProviderHost, type Props, type ResourceRef } from './provider-host.js'

/** A resource in the fake engine's state. */
export interface StateEntry {
  ref: ResourceRef
  id: string
  inputs: Props
  outputs: Props
}

/** What a command did (or, for a preview, would do) to each resource, by name: `create`, `same`, `update`, `replace`, `delete`, `drift`, `gone`. */
export type Steps = Record<string, string>

const SYNC_TYPE = 'pulumi-nodejs:dynamic/outflow:Sync'

/**
 * Plays the Pulumi engine against the real provider host, with the RPC sequences of `pulumi up`,
 * `pulumi preview --refresh`, `pulumi refresh` and `pulumi destroy` (pulumi-research.md section
 * 1.2, 1.5). Each command starts its own host, as each CLI command does, and stops it after.
 * Connections are applied before the syncs that depend on them, and deleted after them.
 */
export class FakeEngine {
  readonly state = new Map<string, StateEntry>()
  /** Every create and delete, in the order sent: shows whether a replacement deleted first. */
  readonly calls: string[] = []
  /** Everything the hosts printed. */
  hostOutput = ''

  constructor(
    private readonly cwd: string,
    private readonly config: Readonly<Record<string, string>>,
  ) {}

  /** `pulumi up`: creates, updates or replaces what the program declares, deletes what it no longer does. */
  up(program: readonly DeclaredResource[]): Promise<Steps> {
    return this.command(async (host) => {
      const steps: Steps = {}
      for (const group of inDependencyOrder(program)) {
        await settleAll(group.map(async (resource) => (steps[resource.name] = await this.apply(host, resource))))
      }
      const gone = [...this.state.values()].filter((entry) => !program.some((r) => r.name === entry.ref.name))
      for (const group of inDependencyOrder(gone.map((entry) => entry.ref)).reverse()) {
        await settleAll(group.map(async (ref) => (steps[ref.name] = await this.remove(host, ref.name))))
      }
      return steps
    })
  }

  /** `pulumi preview --refresh`: reads every resource, then diffs what it read against the program. Changes nothing. */
  previewRefresh(program: readonly DeclaredResource[]): Promise<Steps> {
    return this.command(async (host) => {
      const steps: Steps = {}
      await settleAll(
        program.map(async (resource) => {
          const old = this.state.get(resource.name)
          if (old === undefined) return (steps[resource.name] = 'create')
          const read = await host.read(old.ref, old.id, old.outputs, old.inputs)
          if (read.id === '') return (steps[resource.name] = 'create')
          const oldInputs = read.inputs ?? old.inputs
          const checked = await this.checked(host, old.ref, oldInputs, unwrapSecrets(resource.inputs))
          const diff = await host.diff(old.ref, old.id, read.properties, checked, oldInputs)
          return (steps[resource.name] = diff.changes === 'none' ? 'same' : diff.replaces.length > 0 ? 'replace' : 'update')
        }),
      )
      return steps
    })
  }

  /** `pulumi refresh`: reads every resource into state; one read as gone leaves state. */
  refresh(): Promise<Steps> {
    return this.command(async (host) => {
      const steps: Steps = {}
      await settleAll(
        [...this.state.values()].map(async (entry) => {
          const read = await host.read(entry.ref, entry.id, entry.outputs, entry.inputs)
          if (read.id === '') {
            this.state.delete(entry.ref.name)
            return (steps[entry.ref.name] = 'gone')
          }
          const diff = await host.diff(entry.ref, entry.id, read.properties, entry.inputs, entry.inputs)
          entry.outputs = read.properties
          entry.inputs = read.inputs ?? entry.inputs
          return (steps[entry.ref.name] = diff.changes === 'none' ? 'same' : 'drift')
        }),
      )
      return steps
    })
  }

  /** `pulumi destroy`: deletes everything with the outputs (and so the provider) in state. */
  destroy(): Promise<Steps> {
    return this.command(async (host) => {
      const steps: Steps = {}
      for (const group of inDependencyOrder([...this.state.values()].map((entry) => entry.ref)).reverse()) {
        await settleAll(group.map(async (ref) => (steps[ref.name] = await this.remove(host, ref.name))))
      }
      return steps
    })
  }

  private async command<T>(run: (host: ProviderHost) => Promise<T>): Promise<T> {
    const host = await startProviderHost(this.cwd)
    try {
      await host.configure(this.config)
      return await run(host)
    } finally {
      await host.stop()
      this.hostOutput += host.output()
    }
  }

  private async apply(host: ProviderHost, resource: DeclaredResource): Promise<string> {
    const ref = { type: resource.type, name: resource.name }
    const news = unwrapSecrets(resource.inputs)
    const old = this.state.get(resource.name)
    if (old === undefined) {
      await this.create(host, ref, await this.checked(host, ref, {}, news))
      return 'create'
    }
    const checked = await this.checked(host, ref, old.inputs, news)
    const diff = await host.diff(ref, old.id, old.outputs, checked, old.inputs)
    if (diff.changes === 'none') {
      // A "same" step keeps the old outputs, the old __provider included, and records the new inputs.
      old.inputs = checked
      return 'same'
    }
    if (diff.replaces.length === 0) {
      old.outputs = await host.update(ref, old.id, old.outputs, checked, old.inputs)
      old.inputs = checked
      return 'update'
    }
    if (diff.deleteBeforeReplace) await this.remove(host, ref.name)
    const stale = this.state.get(ref.name)
    await this.create(host, ref, checked)
    if (stale !== undefined) {
      await host.delete(ref, stale.id, stale.outputs)
      this.calls.push(`delete ${ref.name}`)
    }
    return 'replace'
  }

  private async create(host: ProviderHost, ref: ResourceRef, checked: Props): Promise<void> {
    const created = await host.create(ref, checked)
    this.calls.push(`create ${ref.name}`)
    this.state.set(ref.name, { ref, id: created.id, inputs: checked, outputs: created.properties })
  }

  private async remove(host: ProviderHost, name: string): Promise<string> {
    const entry = this.state.get(name)
    if (entry === undefined) return 'same'
    await host.delete(entry.ref, entry.id, entry.outputs)
    this.calls.push(`delete ${name}`)
    this.state.delete(name)
    return 'delete'
  }

  private async checked(host: ProviderHost, ref: ResourceRef, olds: Props, news: Props): Promise<Props> {
    const result = await host.check(ref, olds, news)
    if (result.failures.length > 0) throw new Error(`check of ${ref.name} failed: ${JSON.stringify(result.failures)}`)
    return result.inputs
  }
}

/** Connections first, then the syncs that depend on them. */
function inDependencyOrder<T extends ResourceRef>(resources: readonly T[]): T[][] {
  return [resources.filter((r) => r.type !== SYNC_TYPE), resources.filter((r) => r.type === SYNC_TYPE)]
}

/** Waits for every task, then throws the first failure: the engine carries on with independent resources. */
async function settleAll(tasks: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(tasks)).find((r) => r.status === 'rejected')
  if (failed !== undefined) throw failed.reason
}

/** Inputs as the engine sends them to a provider that does not accept secrets: with the secret markers stripped. */
export function unwrapSecrets(value: Props): Props {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => {
    const wrapped = v as Record<string, unknown> | null
    return typeof wrapped === 'object' && wrapped !== null && wrapped[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
      ? wrapped['value']
      : v
  }) as Props
}
