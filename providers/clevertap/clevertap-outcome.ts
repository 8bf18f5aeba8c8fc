import type { VendorErrors } from '../../src/destinations/vendor-outcome.js'
import { classifyCleverTapResponse, readCleverTapMessage } from './clevertap-errors.js'

/** How CleverTap's answers read (vendor-outcome.ts turns them into results). */
export const clevertapErrors: VendorErrors = {
  vendor: 'CleverTap',
  classify: classifyCleverTapResponse,
  readMessage: readCleverTapMessage,
  /** The passcode is never quoted; a wrong region shows as refused credentials too. */
  authMessage: (destination, _code, _endpoint, where) =>
    `destination "${destination}": CleverTap refused the account id or passcode (${where}); check them and the region`,
}
