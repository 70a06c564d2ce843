import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FormErrors } from '~/ui/field'
import { UserLink } from '~/accounts/ui/user-link'
import { listUsers, updateUserAccess } from '~/accounts/users.server'
import { AccessSchema } from '~/accounts/forms.server'
import { formatDay } from '~/platform/dates'
import { badRequest, parseForm } from '~/platform/forms.server'
import { idOrNull, invariantResponse } from '~/platform/misc'
import { requireUserWithPermission } from '~/platform/auth/permissions.server'
import { readFormData } from '~/platform/request-input.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUserWithPermission(request, context, 'manage:user:any')
  const url = new URL(request.url)
  const search = url.searchParams.get('q')?.trim() || undefined
  const afterId = idOrNull(url.searchParams.get('after')) ?? 0
  return json({ ...(await listUsers({ afterId, search })), search: search ?? '', saved: url.searchParams.get('saved') })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireUserWithPermission(request, context, 'manage:user:any')
  const submission = parseForm(await readFormData(request), AccessSchema)
  if (submission.status !== 'success') return badRequest(submission)
  const { userId, role, supportTier, isPremium } = submission.value
  // An admin demoting themselves could leave nobody able to manage users.
  if (userId === admin.id && role !== 'admin') return badRequest(submission, { formErrors: ['You cannot remove your own admin role.'] })
  const updated = await updateUserAccess({ userId, role, supportTier: supportTier ? Number(supportTier) : null, isPremium: isPremium ?? false })
  invariantResponse(updated, 'There is no such user.')
  // Back to the same list, saying whose access changed.
  const url = new URL(request.url)
  url.searchParams.set('saved', updated.username)
  return redirect(`${url.pathname}${url.search}`)
}

export default function AdminUsers() {
  const { users, nextAfterId, search, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.result?.error as Record<string, string[] | null> | undefined
  return (
    <section>
      <h1>Users</h1>
      <Form method="get" className="inline-form">
        <label htmlFor="user-search">Find users</label>
        <input id="user-search" name="q" type="search" defaultValue={search} />
        <button type="submit">Search</button>
      </Form>
      {saved && !actionData ? (
        <p className="notice" role="status">
          Saved access for {saved}.
        </p>
      ) : null}
      <FormErrors errors={errors ? Object.values(errors).flatMap((e) => e ?? []) : null} />
      <table className="users-table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Email</th>
            <th scope="col">Joined</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <th scope="row" data-label="Username">
                <UserLink username={u.username} />
              </th>
              <td data-label="Email">{u.email}</td>
              <td data-label="Joined">{formatDay(u.createdAt)}</td>
              <td data-label="Access">
                <Form method="post" className="inline-form" aria-label={`Access for ${u.username}`}>
                  <input type="hidden" name="userId" value={u.id} />
                  <label htmlFor={`role-${u.id}`}>Role</label>
                  <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                    <option value="member">Member</option>
                    <option value="moderator">Moderator</option>
                    <option value="agent">Agent</option>
                    <option value="admin">Admin</option>
                  </select>
                  <label htmlFor={`tier-${u.id}`}>Support tier</label>
                  <select id={`tier-${u.id}`} name="supportTier" defaultValue={u.supportTier ? String(u.supportTier) : ''}>
                    <option value="">None</option>
                    <option value="1">Tier 1</option>
                    <option value="2">Tier 2</option>
                    <option value="3">Tier 3</option>
                  </select>
                  <input id={`premium-${u.id}`} type="checkbox" name="isPremium" value="on" defaultChecked={u.isPremium} />
                  <label htmlFor={`premium-${u.id}`}>Premium</label>
                  <button type="submit">Save {u.username}</button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {nextAfterId ? (
        <nav aria-label="Pagination" className="pagination">
          <Link to={`?${new URLSearchParams({ ...(search ? { q: search } : {}), after: String(nextAfterId) })}`}>More users</Link>
        </nav>
      ) : null}
    </section>
  )
}

export const meta: MetaFunction = () => [{ title: 'Users · Admin · Parley' }]
