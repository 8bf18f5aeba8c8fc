import {
  DEMO_ADD_ON_PRICES_CENTS,
  DEMO_COUNTRIES,
  DEMO_EMAIL_DOMAINS,
  DEMO_PLANS,
  type DemoCountry,
  type DemoEventName,
  type DemoPlan,
} from './demo-catalog.js'
import type { DemoRandom } from './demo-random.js'

/** One row of `users`. Money is in cents and times in epoch milliseconds, so nothing rounds. */
export interface DemoUser {
  userId: string
  /** Null for the one user who signed up without an email (see `seedDemoData`). */
  email: string | null
  firstName: string
  lastName: string
  plan: DemoPlan
  country: string
  signedUpAt: number
  lifetimeValueCents: number
  isSubscribed: boolean
  locale: string
}

/** One row of `events`. */
export interface DemoEvent {
  eventId: string
  userId: string
  eventName: DemoEventName
  occurredAt: number
  /** The user's plan when the event happened. */
  plan: DemoPlan
  /** Null for events without money. */
  amountCents: number | null
}

/** An event before ids are given out (in time order, across users). */
export type DemoEventDraft = Omit<DemoEvent, 'eventId'>

/** A new person: name, country, and an email no other user has. */
export type DemoPerson = Pick<DemoUser, 'firstName' | 'lastName' | 'country' | 'locale'> & { email: string }

const SECOND_MS = 1000
export const DAY_MS = 86_400_000

/** `u_000123`: zero-padded, so ids sort in sign-up order. */
export function formatUserId(number: number): string {
  return `u_${String(number).padStart(6, '0')}`
}

/** `e_000123`: zero-padded, so ids sort in time order. */
export function formatEventId(number: number): string {
  return `e_${String(number).padStart(6, '0')}`
}

/** The number in a `u_000123` or `e_000123` id (0 for anything else). */
export function idNumber(id: string | undefined): number {
  const match = /^[a-z]_(\d+)$/.exec(id ?? '')
  return match === null ? 0 : Number(match[1])
}

/** A random instant in [from, to), whole seconds. */
export function instantBetween(random: DemoRandom, from: number, to: number): number {
  return Math.floor((from + random.next() * (to - from)) / SECOND_MS) * SECOND_MS
}

/** A person from a country drawn by sign-up share; the email is lowercase ASCII and not in `usedEmails` (which it joins). */
export function assemblePerson(random: DemoRandom, usedEmails: Set<string>): DemoPerson {
  const country = random.weighted(DEMO_COUNTRIES)
  const firstName = random.pick(country.firstNames)
  const lastName = random.pick(country.lastNames)
  return { firstName, lastName, country: country.code, locale: country.locale, email: uniqueEmail(random, firstName, lastName, usedEmails) }
}

/** Another last name from the same country (a marriage, a corrected spelling). */
export function assembleNewLastName(random: DemoRandom, country: string, current: string): string {
  const names = countryOf(country).lastNames.filter((name) => name !== current)
  return names.length === 0 ? current : random.pick(names)
}

function countryOf(code: string): DemoCountry {
  return DEMO_COUNTRIES.find((country) => country.code === code) ?? (DEMO_COUNTRIES[0] as DemoCountry)
}

function uniqueEmail(random: DemoRandom, firstName: string, lastName: string, usedEmails: Set<string>): string {
  const first = asciiLower(firstName)
  const last = asciiLower(lastName)
  const local = random.pick([`${first}.${last}`, `${first}${last}`, `${first.charAt(0)}${last}`, `${first}.${last.charAt(0)}`])
  const domain = random.weighted(DEMO_EMAIL_DOMAINS).domain
  let email = `${local}@${domain}`
  for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`
  usedEmails.add(email)
  return email
}

/** `Lefèvre` → `lefevre`, `de Jong` → `dejong`: what people type in an email address. */
function asciiLower(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** Events a paying user's history needs: sign-up, trial, upgrade, first invoice. */
export const PAYING_HISTORY_EVENTS = 4

/** What follows sign-up, by plan: paying users pay invoices, free users mostly use the product. */
type Activity = readonly { name: DemoEventName; weight: number }[]
const PAYING_ACTIVITY: Activity = [
  { name: 'invoice_paid', weight: 45 },
  { name: 'purchase_completed', weight: 15 },
  { name: 'project_created', weight: 20 },
  { name: 'report_exported', weight: 12 },
  { name: 'teammate_invited', weight: 8 },
]
const FREE_ACTIVITY: Activity = [
  { name: 'project_created', weight: 45 },
  { name: 'report_exported', weight: 25 },
  { name: 'teammate_invited', weight: 15 },
  { name: 'purchase_completed', weight: 15 },
]

/**
 * A user's history of `count` events between sign-up and `end`: `signed_up` first; a paying user
 * then starts a trial, upgrades (events before the upgrade are on `free`) and pays invoices, so
 * {@link PAYING_HISTORY_EVENTS} events tell a consistent story.
 */
export function assembleLifecycle(
  random: DemoRandom,
  user: Pick<DemoUser, 'userId' | 'plan' | 'signedUpAt'>,
  count: number,
  end: number,
): DemoEventDraft[] {
  const paying = user.plan !== 'free'
  const names: DemoEventName[] = ['signed_up']
  if (paying) names.push('trial_started', 'plan_upgraded', 'invoice_paid')
  else if (random.chance(0.4)) names.push('trial_started')
  while (names.length < count) names.push(random.weighted(paying ? PAYING_ACTIVITY : FREE_ACTIVITY).name)
  const later = Array.from({ length: count - 1 }, () => instantBetween(random, user.signedUpAt + SECOND_MS, end)).sort((a, b) => a - b)
  let plan: DemoPlan = 'free'
  return names.slice(0, count).map((eventName, i) => {
    if (eventName === 'plan_upgraded') plan = user.plan
    return {
      userId: user.userId,
      eventName,
      occurredAt: i === 0 ? user.signedUpAt : (later[i - 1] ?? end - SECOND_MS),
      plan,
      amountCents: amountOf(random, eventName, plan),
    }
  })
}

/** The money an event carries: an invoice is the plan's monthly price, a purchase an add-on. */
export function amountOf(random: DemoRandom, eventName: DemoEventName, plan: DemoPlan): number | null {
  if (eventName === 'invoice_paid') return priceOf(plan)
  if (eventName === 'purchase_completed') return random.pick(DEMO_ADD_ON_PRICES_CENTS)
  return null
}

/** The monthly price of a plan, in cents. */
export function priceOf(plan: DemoPlan): number {
  return DEMO_PLANS.find((candidate) => candidate.name === plan)?.priceCents ?? 0
}

/** Gives events ids in time order, continuing after `lastNumber`. */
export function numberEvents(drafts: readonly DemoEventDraft[], lastNumber: number): DemoEvent[] {
  const ordered = drafts.map((draft, index) => ({ draft, index }))
  ordered.sort((a, b) => a.draft.occurredAt - b.draft.occurredAt || a.index - b.index)
  return ordered.map(({ draft }, i) => ({ eventId: formatEventId(lastNumber + i + 1), ...draft }))
}
