import { parseArgs } from 'node:util'
import { createUser } from '~/accounts/users.server'
import { closeDatabase } from '../db/client.server'
import { jobRegistry } from '~/jobs.server'
import { migrateAll } from '~/platform/migrate.server'

const usage = 'Usage: npm run user:create -- --username NAME --email E --password P --role member|moderator|agent|admin [--tier 1|2|3] [--premium]'

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string', default: 'member' },
    tier: { type: 'string' },
    premium: { type: 'boolean', default: false },
  },
})

const roles = ['member', 'moderator', 'agent', 'admin'] as const
const role = roles.find((r) => r === values.role)
const tier = values.tier === undefined ? null : Number(values.tier)
const problems: string[] = []
if (!values.username || !values.email || !values.password) problems.push('--username, --email and --password are required.')
if (!role) problems.push(`--role must be one of ${roles.join(', ')}.`)
if (tier !== null && ![1, 2, 3].includes(tier)) problems.push('--tier must be 1, 2 or 3.')
if (tier !== null && role !== 'agent') problems.push('--tier applies to agents only.')
if (values.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) problems.push('--email is not an email address.')

if (problems.length > 0) {
  console.error([...problems, usage].join('\n'))
  process.exitCode = 1
} else {
  await migrateAll(jobRegistry)
  const result = await createUser({
    username: values.username!,
    email: values.email!,
    password: values.password!,
    role,
    supportTier: tier,
    isPremium: values.premium,
    emailVerified: true,
  })
  if (result.ok) console.log(`Created ${role} “${result.user.username}” (id ${result.user.id}).`)
  else {
    console.error(Object.values(result.errors).join('\n'))
    process.exitCode = 1
  }
}
await closeDatabase()
