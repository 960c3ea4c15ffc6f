// A list that reloads as the operator types sends a request per pause; the
// answers can arrive in any order. Whoever writes a list's rows asks this
// first, so an older, slower answer (a narrower search, an earlier filter)
// never replaces the newer one on screen.

export interface Latest {
  /** A new generation (a reload): the returned check is true while no later `begin()` happened. */
  begin: () => () => boolean
  /** The current generation, unchanged (a "load more" on it): true while no later `begin()` happened. */
  join: () => () => boolean
}

export function useLatest(): Latest {
  let seq = 0
  const checkFor = (mine: number) => () => mine === seq
  return {
    begin: () => checkFor(++seq),
    join: () => checkFor(seq),
  }
}
