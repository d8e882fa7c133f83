// The web app's team form imports this file too (features/teams/teamForm.ts), so the form and
// the server agree on how many opening periods a team may have: it must import nothing.

/**
 * The most opening periods a team may have in a week: three a day (a morning, an afternoon and
 * an evening session, say) every day. More is a mistake, not a timetable.
 */
export const MAX_OPENING_PERIODS = 21;
