import { useRevalidator, useRouteLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { useLiveTopic } from '~/ui/live-updates'

/**
 * On an open thread: counts answers others post meanwhile and offers to show them, instead of
 * moving the page under the reader. Showing them runs the page's own loader again, so what
 * appears is exactly what the reader may see. Nothing without JavaScript.
 */
export function NewAnswersBar({ questionId }: { questionId: number }) {
  const viewerId = (useRouteLoaderData('root') as { user?: { id: number } | null } | undefined)?.user?.id ?? null
  const [answerIds, setAnswerIds] = useState<number[]>([])
  const revalidator = useRevalidator()
  useLiveTopic(`thread:${questionId}`, ({ answerId, authorId }) => {
    if (typeof answerId !== 'number' || authorId === viewerId) return
    setAnswerIds((ids) => (ids.includes(answerId) ? ids : [...ids, answerId]))
  })
  const count = answerIds.length
  return (
    <div aria-live="polite" className="new-answers">
      {count > 0 ? (
        <p className="notice new-answers-bar">
          {count === 1 ? '1 new answer' : `${count} new answers`} since you opened this page.{' '}
          <button
            type="button"
            onClick={() => {
              setAnswerIds([])
              revalidator.revalidate()
            }}
          >
            {count === 1 ? 'Show the new answer' : `Show ${count} new answers`}
          </button>
        </p>
      ) : null}
    </div>
  )
}
