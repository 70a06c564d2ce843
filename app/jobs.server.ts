/**
 * Every module that registers a job handler. The web server (with JOBS_IN_PROCESS) and the worker
 * both import this, so they run the same handlers; a new handler's module is added here.
 */
import '~/platform/mail.server'
import '~/tickets/jobs.server'
import '~/moderation/jobs.server'
import '~/forum/jobs.server'
import '~/accounts/jobs.server'
import '~/notifications/digest.server'
import '#search/search-jobs.server'
