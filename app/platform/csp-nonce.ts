import { createContext, useContext } from 'react'

/**
 * The Content-Security-Policy nonce of the response being rendered (see
 * app/platform/security-headers.server.ts). Undefined in the browser, where the scripts it marks
 * already ran, and on pages the page cache shares, whose scripts are allowed by hash.
 */
export const CspNonceContext = createContext<string | undefined>(undefined)

export const useCspNonce = () => useContext(CspNonceContext)
