import { z } from 'zod'
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from './account-rules'

// Schemas live in .server modules: a zod call at a route module's top level cannot be tree-shaken
// and would ship zod to every browser.

export const LoginSchema = z.object({
  identifier: z.string({ required_error: 'Enter your username or email.' }).trim().max(254),
  password: z.string({ required_error: 'Enter your password.' }).max(1024),
  redirectTo: z.string().optional(),
})

export const RegisterSchema = z
  .object({
    username: z.string({ required_error: 'Choose a username.' }).trim().regex(USERNAME_PATTERN, 'Use 3 to 20 letters, digits, underscores or hyphens.'),
    email: z.string({ required_error: 'Enter your email address.' }).trim().max(254).email('Enter a valid email address.'),
    password: z.string({ required_error: 'Choose a password.' }).min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`).max(1024),
    confirmPassword: z.string({ required_error: 'Type the password again.' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords do not match.' })

export const AccessSchema = z
  .object({
    userId: z.number().int().positive(),
    role: z.enum(['member', 'moderator', 'agent', 'admin'], { errorMap: () => ({ message: 'Choose a role.' }) }),
    supportTier: z.enum(['', '1', '2', '3']).optional(),
    isPremium: z.boolean().optional(),
  })
  .refine((v) => v.role === 'agent' || !v.supportTier, { path: ['supportTier'], message: 'Only agents have a support tier.' })
