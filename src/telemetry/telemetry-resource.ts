import type { Resource } from '@opentelemetry/resources'

/**
 * What every span and metric says of the process that made it: `service.name` "outflow" and
 * `service.version`, overridden by `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` (read by the
 * SDK's environment detector). No process or host detector: a process's command line may name
 * files and hosts a user would rather not export.
 */
export async function loadOutflowResource(version: string): Promise<Resource> {
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = await import('@opentelemetry/resources')
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'outflow', 'service.version': version }))
    .merge(detectResources({ detectors: [envDetector] }))
}
