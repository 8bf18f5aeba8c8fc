/** A mistake in how a command was called, such as an unknown option value; exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}
