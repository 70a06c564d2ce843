import type { UserRole } from '#db/schema/index'
import { createAnswer } from '~/forum/answers.server'
import { listCategories } from '~/forum/categories.server'
import { createQuestion } from '~/forum/questions.server'
import { createUser } from '~/accounts/users.server'
import { authenticate, startSession } from '~/platform/auth/auth.server'

let sequence = 0
/** A name no other test in this run uses (usernames allow 20 characters). */
export function uniqueName(prefix = 'user') {
  sequence += 1
  return `${prefix.slice(0, 8)}${process.pid.toString(36)}${sequence.toString(36)}${Math.random().toString(36).slice(2, 6)}`.slice(0, 20)
}

export const TEST_PASSWORD = 'plum-harbour-lantern-42'

export async function createTestUser({
  role = 'member',
  supportTier,
  isPremium,
  emailVerified = true,
  trusted = true,
}: { role?: UserRole; supportTier?: number; isPremium?: boolean; emailVerified?: boolean; trusted?: boolean } = {}) {
  const username = uniqueName(role)
  // Trusted unless a test asks for a new member: most tests post without meeting the approval queue (decision 031).
  const result = await createUser({ username, email: `${username}@example.test`, password: TEST_PASSWORD, role, supportTier, isPremium, emailVerified, trusted })
  if (!result.ok) throw new Error(`test user not created: ${JSON.stringify(result.errors)}`)
  return { id: result.user.id, username, email: `${username}@example.test`, password: TEST_PASSWORD, role }
}

export async function categoryId(slug = 'technical') {
  const category = (await listCategories()).find((c) => c.slug === slug)
  if (!category) throw new Error(`no category ${slug}`)
  return category.id
}

export async function createTestQuestion({
  authorId,
  title = `How do I ${uniqueName('fix')} the widget?`,
  body = 'It stopped working after the update and shows an error.',
  category = 'technical',
  tags = [] as string[],
}: {
  authorId: number
  title?: string
  body?: string
  category?: string
  tags?: string[]
}) {
  return createQuestion({ authorId, title, bodySource: body, categoryId: await categoryId(category), tagNames: tags })
}

export async function createTestAnswer({ questionId, authorId, body = 'Try turning it off and on again.' }: { questionId: number; authorId: number; body?: string }) {
  const answer = await createAnswer({ questionId, authorId, bodySource: body })
  if (!answer) throw new Error('answer not created')
  return answer
}

/** The Cookie header a browser would send after this user logged in. */
export async function sessionCookieFor(userId: number) {
  return (await startSession(userId)).split(';')[0]
}

/**
 * Loader/action arguments as the HTTP server builds them: a real Request and a context whose user
 * comes from the real session lookup.
 */
export async function routeArgs({
  path,
  method = 'GET',
  form,
  userId,
  cookie,
  params = {},
  ip = '203.0.113.7',
  headers: extraHeaders = {},
}: {
  path: string
  method?: 'GET' | 'POST'
  /** A field given an array is sent once per value, as checkboxes and repeated inputs are. */
  form?: Record<string, string | string[]>
  userId?: number
  /** An existing session's cookie, instead of a new session for userId. */
  cookie?: string
  params?: Record<string, string>
  ip?: string
  /** More request headers, such as the browser's User-Agent. */
  headers?: Record<string, string>
}) {
  const headers = new Headers({ Origin: 'http://localhost', ...extraHeaders })
  if (cookie) headers.set('Cookie', cookie)
  else if (userId !== undefined) headers.set('Cookie', await sessionCookieFor(userId))
  const request = new Request(`http://localhost${path}`, {
    method,
    headers,
    body: form ? formBody(form) : undefined,
  })
  const auth = await authenticate(headers.get('Cookie'))
  return { request, params, context: { user: auth.user, session: auth.session, clientIp: ip } }
}

function formBody(form: Record<string, string | string[]>) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v)
  return body
}

/** Runs a loader or action and gives back its Response, whether it returned or threw one. */
export async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run()
    if (result instanceof Response) return result
    throw new Error(`expected a Response, got ${typeof result}`)
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
}
