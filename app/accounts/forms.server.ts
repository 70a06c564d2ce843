import { z } from 'zod'
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from './rules'
import { MAX_ID } from '~/platform/misc'

// Schemas live in .server modules: a zod call at a route module's top level cannot be tree-shaken
// and would ship zod to every browser.

export const LoginSchema = z.object({
  identifier: z.string({ required_error: 'Enter your username or email.' }).trim().max(254),
  password: z.string({ required_error: 'Enter your password.' }).max(1024),
  redirectTo: z.string().optional(),
})

// The server also checks new passwords against the common-password list (passwordProblem); the
// length rule here just answers sooner.
const PASSWORDS_DIFFER = 'The passwords do not match.'

/**
 * A form's fields plus a new password (named `name`) typed twice, the second time as
 * confirmPassword, which must match.
 */
function newPasswordPair<Shape extends z.ZodRawShape, Name extends string>(
  shape: Shape,
  { name, required, confirmRequired }: { name: Name; required: string; confirmRequired: string },
) {
  const pair = {
    [name]: z.string({ required_error: required }).min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(1024),
    confirmPassword: z.string({ required_error: confirmRequired }),
  } as Record<Name, z.ZodString> & { confirmPassword: z.ZodString }
  return z
    .object({ ...shape, ...pair })
    .refine((v) => (v as Record<string, unknown>)[name] === v.confirmPassword, { path: ['confirmPassword'], message: PASSWORDS_DIFFER })
}

export const RegisterSchema = newPasswordPair(
  {
    username: z.string({ required_error: 'Choose a username.' }).trim().regex(USERNAME_PATTERN, 'Use 3 to 20 letters, digits, underscores or hyphens.'),
    email: z.string({ required_error: 'Enter your email address.' }).trim().max(254).email('Enter a valid email address.'),
  },
  { name: 'password', required: 'Choose a password.', confirmRequired: 'Type the password again.' },
)

/** Claiming an account from the link in a ticket mail: the address is the link's, so only a name and a password. */
export const ClaimAccountSchema = newPasswordPair(
  { username: z.string({ required_error: 'Choose a username.' }).trim().regex(USERNAME_PATTERN, 'Use 3 to 20 letters, digits, underscores or hyphens.') },
  { name: 'password', required: 'Choose a password.', confirmRequired: 'Type the password again.' },
)

export const AccessSchema = z
  .object({
    userId: z.number().int().positive().max(MAX_ID),
    role: z.enum(['member', 'moderator', 'agent', 'admin'], { errorMap: () => ({ message: 'Choose a role.' }) }),
    supportTier: z.enum(['', '1', '2', '3']).optional(),
    isPremium: z.boolean().optional(),
  })
  .refine((v) => v.role === 'agent' || !v.supportTier, { path: ['supportTier'], message: 'Only agents have a support tier.' })

// Password reset by mail, /settings/account and /settings/data.
export const currentPasswordField = z.string({ required_error: 'Enter your current password.' }).max(1024)
const emailField = z.string({ required_error: 'Enter your email address.' }).trim().max(254).email('Enter a valid email address.')
export const ForgotPasswordSchema = z.object({ email: emailField })

export const ResetPasswordSchema = newPasswordPair({}, { name: 'password', required: 'Choose a new password.', confirmRequired: 'Type the new password again.' })

export const ChangeEmailSchema = z.object({
  email: z.string({ required_error: 'Enter the new email address.' }).trim().max(254).email('Enter a valid email address.'),
  currentPassword: currentPasswordField,
})

export const ChangePasswordSchema = newPasswordPair(
  { currentPassword: currentPasswordField },
  { name: 'newPassword', required: 'Choose a new password.', confirmRequired: 'Type the new password again.' },
)
