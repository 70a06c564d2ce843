/** Demo sign-ins printed at start-up; the end-to-end tests log in with them too. */
export const demoAccounts = [
  { username: 'admin', email: 'admin@parley.example', password: 'parley-admin-demo', role: 'admin' as const },
  { username: 'moderator', email: 'moderator@parley.example', password: 'parley-moderator-demo', role: 'moderator' as const },
  { username: 'agent', email: 'agent@parley.example', password: 'parley-agent-demo', role: 'agent' as const, supportTier: 1 },
  { username: 'member', email: 'member@parley.example', password: 'parley-member-demo', role: 'member' as const },
]
