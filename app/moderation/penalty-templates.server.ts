/**
 * Canned reasons (decision 032): admins keep penalty templates (a name, the reason the member is
 * told, and a default silence or suspension); moderators pick one in a decision form instead of
 * typing the reason.
 */
import { asc, eq } from 'drizzle-orm'
import { db } from '#db/client.server'
import { penaltyTemplates } from '#db/schema/index'
import { PENALTY_KINDS } from '#db/enums'

export type PenaltyKind = (typeof PENALTY_KINDS)[number]

export function listPenaltyTemplates() {
  return db
    .select({ id: penaltyTemplates.id, name: penaltyTemplates.name, reason: penaltyTemplates.reason, penalty: penaltyTemplates.penalty, days: penaltyTemplates.days })
    .from(penaltyTemplates)
    .orderBy(asc(penaltyTemplates.name), asc(penaltyTemplates.id))
    .limit(200)
}

export async function createPenaltyTemplate(input: { name: string; reason: string; penalty: PenaltyKind; days: number | null }): Promise<{ ok: true } | { ok: false; field: 'name'; message: string }> {
  const rows = await db
    .insert(penaltyTemplates)
    .values({ ...input, days: input.penalty === 'none' ? null : input.days })
    .onConflictDoNothing()
    .returning({ id: penaltyTemplates.id })
  return rows.length > 0 ? { ok: true } : { ok: false, field: 'name', message: 'A template with that name exists already.' }
}

export async function deletePenaltyTemplate({ id }: { id: number }) {
  const rows = await db.delete(penaltyTemplates).where(eq(penaltyTemplates.id, id)).returning({ id: penaltyTemplates.id })
  return rows.length > 0
}

/**
 * A decision form sent with a template and no typed reason takes the template's reason, and its
 * days when none were typed. Works the same without JavaScript: the server fills the fields in.
 */
export async function applyPenaltyTemplate(formData: FormData) {
  const id = Number(formData.get('templateId'))
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) return formData
  const [template] = await db.select({ reason: penaltyTemplates.reason, days: penaltyTemplates.days }).from(penaltyTemplates).where(eq(penaltyTemplates.id, id))
  if (!template) return formData
  const filled = new FormData()
  for (const [name, value] of formData) filled.append(name, value)
  if (!String(formData.get('reason') ?? '').trim()) filled.set('reason', template.reason)
  if (!String(formData.get('days') ?? '').trim() && template.days) filled.set('days', String(template.days))
  return filled
}
