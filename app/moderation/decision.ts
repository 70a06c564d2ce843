import type { UserRole } from '#db/schema/users'

/**
 * What every item type shares when a moderator decides it. Schema-free: the queue page and the
 * server ask the same questions of the same rules, so the form offers only what the server accepts.
 */

export type Moderator = { id: number; role: UserRole; username?: string }

export type DecideResult =
  | { ok: true }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'invalid'; message: string }
  | { ok: false; reason: 'conflict'; current: { status: string; resolution: string | null; resolvedByUsername: string | null; version: number } }
  | { ok: false; reason: 'same-moderator' }

/** Why an action does not fit an item, said before anything is written. */
export type Refusal = Extract<DecideResult, { reason: 'invalid' | 'same-moderator' }>

export const invalid = (message: string): Refusal => ({ ok: false, reason: 'invalid', message })

/** The queue item itself, as every type's rules see it. */
export type ItemFacts = { status: string; claimedById: number | null; claimedByUsername?: string | null }

/**
 * Only a pending item is decided, and only by the moderator holding its claim (by anyone when
 * nobody does): a claim says "I am on it", and taking it over is one click that others can see.
 */
export function itemRefusal(item: ItemFacts, viewer: Pick<Moderator, 'id'>): Refusal | null {
  if (item.status !== 'pending') return invalid('This item is already decided.')
  if (item.claimedById !== null && item.claimedById !== viewer.id)
    return invalid(`${item.claimedByUsername ?? 'Another moderator'} claimed this item; take it over to decide it.`)
  return null
}

/** Turns a refused decision into what the moderator needs to know: who acted first, or what was wrong. */
export function refusalMessage(result: Exclude<DecideResult, { ok: true } | { reason: 'not-found' }>): string {
  switch (result.reason) {
    case 'conflict':
      return result.current.status === 'resolved'
        ? `Someone was quicker: ${result.current.resolvedByUsername ?? 'another moderator'} already decided this item (${result.current.resolution}). Nothing you sent was applied.`
        : 'This item changed while you were looking at it (a new report arrived). Check it again and decide once more.'
    case 'same-moderator':
      return 'You took the action under appeal, so another moderator (or an admin) must decide the appeal.'
    case 'invalid':
      return result.message
  }
}

/** Each choice a decision form may offer, with the label it shows. */
export type Choice<A extends string> = { value: A; label: string }

/** The choices of one item type that pass its rules, in the order the form shows them. */
export function allowedOf<A extends string>(all: readonly A[], refusal: (action: A) => Refusal | null): A[] {
  return all.filter((action) => refusal(action) === null)
}

/** Suspensions are given in days. */
export const DAY_MS = 24 * 60 * 60 * 1000
