// Shared by the search bench and the --scale dataset: one definition of a search document in SQL.

/**
 * The search document of every visible question, as search/documents.server.ts builds it: the
 * title; the question's plain text, then its visible answers' (oldest first, one space apart), as
 * the body; sorted tag names; the visible answers' count. Bodies here are plain words in a <p>, so
 * their Markdown source is their plain text. checkDocumentShape() compares a sample with it.
 */
export const documentsSelect = `
  select q.id as question_id, q.title, concat_ws(E'\\n\\n', q.body_source, an.text) as body, q.category_id,
    tg.names as tag_names, u.username as author_username, coalesce(an.answers, 0) as answer_count,
    q.accepted_answer_id is not null as has_accepted_answer, q.official_answer_id is not null as has_official_answer,
    q.created_at, q.last_activity_at
  from questions q
  join users u on u.id = q.author_id
  left join lateral (
    select string_agg(a.body_source, ' ' order by a.id) as text, count(*)::int as answers
    from answers a where a.question_id = q.id and a.hidden_at is null and a.removed_at is null
  ) an on true
  cross join lateral (
    select array(select t.name from question_tags qt join tags t on t.id = qt.tag_id where qt.question_id = q.id order by t.name) as names
  ) tg
  where q.hidden_at is null and q.removed_at is null`

/** The columns `documentsSelect` fills, in its order. */
export const documentsInsertColumns = `question_id, title, body, category_id, tag_names, author_username, answer_count,
  has_accepted_answer, has_official_answer, created_at, last_activity_at`
