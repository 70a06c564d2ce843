/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

declare module 'fxa-common-password-list' {
  const list: { test(password: string): boolean }
  export default list
}
