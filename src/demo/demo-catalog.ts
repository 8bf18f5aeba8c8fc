/**
 * The vocabulary of the demo's sample data: countries with their locales and names, plans with
 * prices, event names. Plain data, so the generators stay small and the tests can check against it.
 */

/** A country users sign up from, as Braze stores it (ISO 3166 alpha-2) with the locale Courier gets. */
export interface DemoCountry {
  code: string
  locale: string
  /** Relative share of sign-ups. */
  weight: number
  firstNames: readonly string[]
  lastNames: readonly string[]
}

export const DEMO_COUNTRIES: readonly DemoCountry[] = [
  {
    code: 'US',
    locale: 'en-US',
    weight: 24,
    firstNames: ['James', 'Mary', 'Olivia', 'Ethan', 'Ava', 'Noah', 'Emma', 'Liam'],
    lastNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson'],
  },
  {
    code: 'GB',
    locale: 'en-GB',
    weight: 14,
    firstNames: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Emily', 'Jack', 'Sophie'],
    lastNames: ['Taylor', 'Jones', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes'],
  },
  {
    code: 'DE',
    locale: 'de-DE',
    weight: 12,
    firstNames: ['Lukas', 'Mia', 'Leon', 'Hannah', 'Felix', 'Lea', 'Jonas', 'Marie'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Wagner', 'Hoffmann'],
  },
  {
    code: 'FR',
    locale: 'fr-FR',
    weight: 9,
    firstNames: ['Louis', 'Chloé', 'Hugo', 'Léa', 'Arthur', 'Manon', 'Jules', 'Camille'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Durand', 'Lefèvre', 'Moreau', 'Laurent', 'Girard'],
  },
  {
    code: 'IN',
    locale: 'en-IN',
    weight: 8,
    firstNames: ['Aarav', 'Ananya', 'Vivaan', 'Diya', 'Arjun', 'Priya', 'Rohan', 'Isha'],
    lastNames: ['Sharma', 'Patel', 'Gupta', 'Iyer', 'Reddy', 'Nair', 'Singh', 'Mehta'],
  },
  {
    code: 'BR',
    locale: 'pt-BR',
    weight: 7,
    firstNames: ['Miguel', 'Helena', 'Davi', 'Alice', 'Gabriel', 'Laura', 'Heitor', 'Beatriz'],
    lastNames: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira', 'Almeida', 'Ferreira'],
  },
  {
    code: 'CA',
    locale: 'en-CA',
    weight: 6,
    firstNames: ['Liam', 'Charlotte', 'Lucas', 'Chloe', 'Benjamin', 'Maya', 'Nathan', 'Zoé'],
    lastNames: ['Tremblay', 'Roy', 'Gagnon', 'Campbell', 'Anderson', 'MacDonald', 'Lee', 'Côté'],
  },
  {
    code: 'NL',
    locale: 'nl-NL',
    weight: 5,
    firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Finn', 'Tess', 'Lars', 'Sara'],
    lastNames: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer'],
  },
  {
    code: 'ES',
    locale: 'es-ES',
    weight: 5,
    firstNames: ['Hugo', 'Lucía', 'Mateo', 'Sofía', 'Martín', 'Martina', 'Pablo', 'Carmen'],
    lastNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez'],
  },
  {
    code: 'AU',
    locale: 'en-AU',
    weight: 4,
    firstNames: ['Jack', 'Charlotte', 'William', 'Matilda', 'Oliver', 'Ruby', 'Thomas', 'Grace'],
    lastNames: ['Smith', 'Nguyen', 'Kelly', 'Ryan', 'Mitchell', 'Clarke', 'Murphy', 'Brown'],
  },
  {
    code: 'SE',
    locale: 'sv-SE',
    weight: 3,
    firstNames: ['Elias', 'Alice', 'William', 'Maja', 'Oscar', 'Ebba', 'Hugo', 'Elsa'],
    lastNames: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson'],
  },
  {
    code: 'JP',
    locale: 'ja-JP',
    weight: 3,
    firstNames: ['Haruto', 'Yui', 'Sota', 'Himari', 'Ren', 'Aoi', 'Yuto', 'Hina'],
    lastNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura'],
  },
]

/**
 * Email domains. Every one is reserved for examples (RFC 2606, RFC 6761), so no real mailbox
 * receives anything even if the demo is pointed at a real vendor account.
 */
export const DEMO_EMAIL_DOMAINS: readonly { domain: string; weight: number }[] = [
  { domain: 'example.com', weight: 45 },
  { domain: 'example.org', weight: 20 },
  { domain: 'example.net', weight: 15 },
  { domain: 'acme.example', weight: 10 },
  { domain: 'globex.example', weight: 10 },
]

/** Plans, cheapest first, with the monthly price in cents an `invoice_paid` event carries. */
export const DEMO_PLANS = [
  { name: 'free', priceCents: 0, weight: 50 },
  { name: 'starter', priceCents: 1200, weight: 22 },
  { name: 'pro', priceCents: 2900, weight: 20 },
  { name: 'business', priceCents: 9900, weight: 8 },
] as const

export type DemoPlan = (typeof DEMO_PLANS)[number]['name']

/** Add-ons (extra seats, credits) a `purchase_completed` event is for, in cents. */
export const DEMO_ADD_ON_PRICES_CENTS: readonly number[] = [900, 1900, 4900]

/**
 * Event names. `purchase_completed` is the one the CleverTap events sync selects; `invoice_paid`
 * and `purchase_completed` carry an amount, every other event a null one.
 */
export const DEMO_EVENT_NAMES = [
  'signed_up',
  'trial_started',
  'plan_upgraded',
  'invoice_paid',
  'purchase_completed',
  'project_created',
  'report_exported',
  'teammate_invited',
] as const

export type DemoEventName = (typeof DEMO_EVENT_NAMES)[number]

/** Share of users subscribed to the newsletter. */
export const DEMO_SUBSCRIBED_SHARE = 0.4

/**
 * The seeded data ends the day before this instant (UTC); each `changeDemoData` call is the
 * day after the latest event. A fixed date keeps the data the same for the same seed.
 */
export const DEMO_DATA_END = Date.UTC(2025, 6, 1)

/** Sign-ups of the seeded data spread over this many days before {@link DEMO_DATA_END}. */
export const DEMO_SIGN_UP_DAYS = 365
