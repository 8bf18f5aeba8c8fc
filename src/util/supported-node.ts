/**
 * The oldest Node.js Outflow runs on; `engines.node` in package.json says the same (a test keeps
 * them equal). undici 8, the HTTP client every connector uses, needs 22.19.
 */
export const OLDEST_NODE = { major: 22, minor: 19 } as const

/** The Node.js version the project develops and tests on, as `.nvmrc` names it. */
export const RECOMMENDED_NODE_MAJOR = 24

/**
 * Why Outflow cannot run on Node.js `found` (`process.versions.node`), or undefined when it can.
 * Entry points call it before they import anything else: on an older Node the dependencies fail
 * with errors that do not say the version is the cause.
 *
 * @example
 * unsupportedNode('20.20.2') // 'Node.js 22.19 or newer is required, and this is Node.js 20.20.2: …'
 */
export function unsupportedNode(found: string): string | undefined {
  const [major = 0, minor = 0] = found.split('.').map((part) => Number.parseInt(part, 10))
  if (major > OLDEST_NODE.major || (major === OLDEST_NODE.major && minor >= OLDEST_NODE.minor)) return undefined
  const oldest = `${String(OLDEST_NODE.major)}.${String(OLDEST_NODE.minor)}`
  return (
    `Node.js ${oldest} or newer is required, and this is Node.js ${found}: ` +
    `install Node.js ${String(RECOMMENDED_NODE_MAJOR)} (with nvm: \`nvm install ${String(RECOMMENDED_NODE_MAJOR)}\`) and run it with that`
  )
}
