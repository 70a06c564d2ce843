/**
 * Every module that registers a job handler. The web server (with JOBS_IN_PROCESS) and the worker
 * both import this, so they run the same handlers; a new handler's module is added here.
 */
import '~/utils/mail.server'
import '~/tickets/ticket-jobs.server'
import '~/moderation/moderation-jobs.server'
import '~/models/unanswered-jobs.server'
import '~/models/account-lifecycle-jobs.server'
import '~/notifications/digest.server'
import '#search/search-jobs.server'
