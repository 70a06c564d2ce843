/** Demo sign-ins printed at start-up; the end-to-end tests log in with them too. */
export const demoAccounts = [
  { username: 'admin', email: 'admin@parley.example', password: 'parley-admin-demo', role: 'admin' as const },
  { username: 'moderator', email: 'moderator@parley.example', password: 'parley-moderator-demo', role: 'moderator' as const },
  { username: 'agent', email: 'agent@parley.example', password: 'parley-agent-demo', role: 'agent' as const, supportTier: 1 },
  { username: 'member', email: 'member@parley.example', password: 'parley-member-demo', role: 'member' as const },
  // A premium member: shorter SLA targets, tier-2 tickets, and a phone call back on critical requests.
  { username: 'premium', email: 'premium@parley.example', password: 'parley-premium-demo', role: 'member' as const, isPremium: true },
]

/** How the start-up banner names an account. */
export const demoAccountLabel = (account: (typeof demoAccounts)[number]) => ('isPremium' in account && account.isPremium ? 'premium' : account.role)
