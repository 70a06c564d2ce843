import { z } from 'zod'
import { currentPasswordField as currentPassword } from './forms.server'

/** The two forms of /settings/data, told apart by the button pressed. */
export const AccountLifecycleSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('deactivate'), password: currentPassword }),
  z.object({
    intent: z.literal('delete'),
    password: currentPassword,
    confirmUsername: z.string({ required_error: 'Type your username to confirm.' }).trim().max(100),
  }),
])
