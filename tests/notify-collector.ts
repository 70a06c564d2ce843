/** Collects the payloads a LISTEN handler hears, and waits for one. */
export function collect() {
  const heard: string[] = []
  const waitFor = (payload: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now()
      const check = () => (heard.includes(payload) ? resolve() : Date.now() - started > timeoutMs ? reject(new Error(`never heard ${payload}; heard ${heard.join(', ')}`)) : setTimeout(check, 20))
      check()
    })
  return { heard, waitFor, handler: (payload: string) => void heard.push(payload) }
}
