/**
 * A request path that carries identifiers (a recipient id, a list id), with the endpoint template
 * it was made from: the request goes to `path`, while telemetry names the endpoint by `template`,
 * so that no customer's identifier leaves in a span or a metric.
 */
export interface VendorPath {
  /** `/profiles/u%40example.com`, query string included. */
  path: string
  /** `/profiles/{user_id}`, as the vendor's reference and our answers tables name the endpoint. */
  template: string
}

/**
 * Fills `template`'s `{name}` placeholders with `values`, each URL-encoded, and appends the query
 * parameters that are defined (also encoded).
 *
 * @example
 * ```ts
 * vendorPath('/lists/{list_id}/subscriptions/{user_id}', { list_id: 'news', user_id: 'u 1' })
 * // { path: '/lists/news/subscriptions/u%201', template: '/lists/{list_id}/subscriptions/{user_id}' }
 * ```
 */
export function vendorPath(
  template: string,
  values: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string | undefined>> = {},
): VendorPath {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`)
    return encodeURIComponent(value)
  })
  const parameters = Object.entries(query).flatMap(([name, value]) =>
    value === undefined ? [] : [`${encodeURIComponent(name)}=${encodeURIComponent(value)}`],
  )
  return { path: parameters.length === 0 ? path : `${path}?${parameters.join('&')}`, template }
}
