import { z } from 'zod'
import { notificationDelivery, notificationKind, watchLevel } from '#db/schema/notifications'
import { MAX_ID } from '~/platform/misc'

const delivery = z.enum(notificationDelivery.enumValues, { message: 'Choose how to hear of it.' })

/** One delivery per kind, every kind required: a form that drops one changes nothing. */
export const PreferencesSchema = z.object(Object.fromEntries(notificationKind.enumValues.map((kind) => [kind, delivery])) as Record<(typeof notificationKind.enumValues)[number], typeof delivery>)

export const WatchSchema = z.object({
  intent: z.literal('watch'),
  // "default" forgets the member's choice (null): the thread goes back to what they'd get anyway.
  level: z.enum([...watchLevel.enumValues, 'default']).transform((level) => (level === 'default' ? null : level)),
})

export const ForgetWatchSchema = z.object({ watchId: z.coerce.number().int().positive().max(MAX_ID) })
