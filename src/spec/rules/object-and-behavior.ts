import { DESTINATION_CATALOGS } from '../../../providers/registry.js'
import { didYouMean, listOf } from '../../util/suggest.js'
import type { SpecRule } from './rule.js'

/** The destination has the object, and the object supports the behavior; errors list what is supported. */
export const objectAndBehavior: SpecRule = {
  name: 'object-and-behavior',
  reads: ['/spec/object', '/spec/behavior'],
  *check(context) {
    for (const { spec, document } of context.syncs) {
      const destination = context.destinations.find((d) => d.spec.name === spec.destination)
      if (destination === undefined) continue
      const catalog = DESTINATION_CATALOGS[destination.spec.connection.type]
      const objects = Object.keys(catalog.objects)
      const descriptor = Object.hasOwn(catalog.objects, spec.object) ? catalog.objects[spec.object] : undefined
      if (descriptor === undefined) {
        const message = `${catalog.displayName} has no object "${spec.object}"${didYouMean(spec.object, objects)}; its objects are ${listOf(objects)}`
        yield { document, pointer: '/spec/object', message }
        continue
      }
      if (!descriptor.behaviors.includes(spec.behavior)) {
        const message = `${catalog.displayName} ${spec.object} does not support behavior "${spec.behavior}"; it supports ${listOf(descriptor.behaviors)}`
        yield { document, pointer: '/spec/behavior', message }
      }
    }
  },
}
