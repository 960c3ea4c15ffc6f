// Countdown arithmetic and formatting, and the live Countdown component.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import { readFileSync } from 'node:fs'
import { listFiles } from './helpers'
import Countdown from '../src/components/Countdown.vue'
import { i18n, setLocale } from '../src/i18n'
import {
  countdownLevel,
  deadlineFrom,
  durationParts,
  formatCountdown,
  formatMs,
  formatUnix,
  secondsLeft,
  ticketAgePercent,
  TICKET_TTL_SECS,
} from '../src/lib/time'

describe('formatCountdown', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59, '0:59'],
    [60, '1:00'],
    [299, '4:59'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [7199, '1:59:59'],
    [7200, '2:00:00'],
    [43200, '12:00:00'],
    [90061, '25:01:01'],
    [-5, '0:00'],
    [12.9, '0:12'],
  ])('%d s → %s', (s, text) => {
    expect(formatCountdown(s)).toBe(text)
  })
})

describe('countdownLevel', () => {
  it('warns under 5 minutes and expires at zero', () => {
    expect(countdownLevel(7200)).toBe('ok')
    expect(countdownLevel(300)).toBe('ok')
    expect(countdownLevel(299)).toBe('warn')
    expect(countdownLevel(1)).toBe('warn')
    expect(countdownLevel(0)).toBe('expired')
    expect(countdownLevel(-3)).toBe('expired')
  })
  it('takes another warning threshold', () => {
    expect(countdownLevel(100, 120)).toBe('warn')
    expect(countdownLevel(130, 120)).toBe('ok')
  })
})

describe('secondsLeft / deadlineFrom', () => {
  it('rounds up and never goes negative', () => {
    expect(secondsLeft(10_000, 0)).toBe(10)
    expect(secondsLeft(10_001, 0)).toBe(11)
    expect(secondsLeft(10_000, 9_999)).toBe(1)
    expect(secondsLeft(10_000, 10_000)).toBe(0)
    expect(secondsLeft(10_000, 20_000)).toBe(0)
  })
  it('counts from when the value was received', () => {
    expect(deadlineFrom(7200, 1_000)).toBe(7_201_000)
    expect(deadlineFrom(-1, 1_000)).toBe(1_000)
  })
})

describe('durationParts', () => {
  it('keeps the two most significant units', () => {
    expect(durationParts(0)).toEqual({ key: 'time.seconds', params: { s: 0 } })
    expect(durationParts(42)).toEqual({ key: 'time.seconds', params: { s: 42 } })
    expect(durationParts(125)).toEqual({ key: 'time.minutesSeconds', params: { m: 2, s: 5 } })
    expect(durationParts(3 * 3600 + 12 * 60 + 9)).toEqual({ key: 'time.hoursMinutes', params: { h: 3, m: 12 } })
    expect(durationParts(2 * 86400 + 5 * 3600)).toEqual({ key: 'time.daysHours', params: { d: 2, h: 5 } })
  })
  it('renders in both languages', () => {
    const d = durationParts(3 * 3600 + 12 * 60)
    setLocale('en')
    expect(i18n.global.t(d.key, d.params)).toBe('3 h 12 min')
    setLocale('zh-CN')
    expect(i18n.global.t(d.key, d.params)).toBe('3 小时 12 分')
  })
})

describe('ticketAgePercent', () => {
  it('measures against the 12 h lifetime and clamps', () => {
    expect(TICKET_TTL_SECS).toBe(43200)
    expect(ticketAgePercent(0)).toBe(0)
    expect(ticketAgePercent(21600)).toBe(50)
    expect(ticketAgePercent(43200)).toBe(100)
    expect(ticketAgePercent(90000)).toBe(100)
    expect(ticketAgePercent(-10)).toBe(0)
  })
})

describe('formatUnix', () => {
  it('is empty for a missing time and shows the date otherwise', () => {
    expect(formatUnix(null, 'en')).toBe('')
    expect(formatUnix(undefined, 'zh-CN')).toBe('')
    expect(formatUnix(0, 'en')).toMatch(/1970|1969/)
  })
  it("uses each language's unambiguous format", () => {
    const at = new Date(2026, 11, 5, 14, 3, 9).getTime()
    expect(formatMs(at, 'en')).toBe('2026-12-05 14:03')
    expect(formatMs(at, 'zh-CN')).toBe('2026年12月5日 14:03')
    expect(formatMs(at, 'en', { seconds: true })).toBe('2026-12-05 14:03:09')
    expect(formatUnix(at / 1000, 'zh-CN', { seconds: true })).toBe('2026年12月5日 14:03:09')
    expect(formatMs(Number.NaN, 'en')).toBe('')
  })
  it('is the one date formatter: no view formats dates itself', () => {
    for (const f of listFiles('src', ['.vue', '.ts'])) {
      if (f.endsWith('lib/time.ts')) continue
      const text = readFileSync(f, 'utf8')
      expect(/toLocale(Date|Time)?String\((?!'en-US'\))|Intl\.DateTimeFormat/.test(text), f).toBe(false)
    }
  })
})

describe('<Countdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    setLocale('en')
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const at = (secs: number) => Date.now() + secs * 1000

  it('counts down every second and turns to a warning under 5 minutes', async () => {
    const w = mount(Countdown, { props: { deadlineMs: at(302) }, global: { plugins: [i18n] } })
    const el = () => w.get('[data-testid="countdown"]')
    expect(el().text()).toBe('5:02')
    expect(el().attributes('data-level')).toBe('ok')
    vi.advanceTimersByTime(1000)
    await nextTick()
    expect(el().text()).toBe('5:01')
    vi.advanceTimersByTime(2000)
    await nextTick()
    expect(el().text()).toBe('4:59')
    expect(el().attributes('data-level')).toBe('warn')
    expect(el().classes()).toContain('countdown--warn')
    w.unmount()
  })

  it('says expired at zero and emits once', async () => {
    const w = mount(Countdown, { props: { deadlineMs: at(2) }, global: { plugins: [i18n] } })
    vi.advanceTimersByTime(3000)
    await nextTick()
    const el = w.get('[data-testid="countdown"]')
    expect(el.text()).toBe('Expired')
    expect(el.attributes('data-level')).toBe('expired')
    vi.advanceTimersByTime(3000)
    await nextTick()
    expect(w.emitted('expired')).toHaveLength(1)
    w.unmount()
  })

  it('follows a new deadline', async () => {
    const w = mount(Countdown, { props: { deadlineMs: at(10), testid: 'c' }, global: { plugins: [i18n] } })
    expect(w.get('[data-testid="c"]').text()).toBe('0:10')
    await w.setProps({ deadlineMs: at(7200) })
    expect(w.get('[data-testid="c"]').text()).toBe('2:00:00')
    w.unmount()
  })

  it('stops its timer when unmounted', () => {
    const w = mount(Countdown, { props: { deadlineMs: at(10) }, global: { plugins: [i18n] } })
    expect(vi.getTimerCount()).toBe(1)
    w.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})
