// Page 2 and later of a thread (`/questions/:id/:slug/page/:page`): the thread route's module, which reads `params.page`.
export { action, default, links, loader, meta } from './questions.$id.($slug)'
