/**
 * Settings that change how figures are counted (KPIS.md names each). Defaults here; an administrator
 * will edit them from the console. Changing one that affects aggregation needs `npm run rebuild`.
 */
export interface Settings {
  /** Whether 基本满意 counts as satisfied in hotline.satisfactionRate. */
  countBasicallySatisfied: boolean;
  /** hotline.timelySignRate: a ticket is signed in time within this many minutes of `received`. */
  signLimitMinutes: number;
  /** hotline.responseWithin1hRate: an ordinary ticket's response limit after `signed`. */
  normalResponseLimitMinutes: number;
  /** hotline.complexScreenedWithin1dRate: a complex ticket's screening limit after `signed`. */
  complexScreeningLimitMinutes: number;
  /** Default 办理时限 per urgency, in hours after `signed`, when a ticket carries no deadline. */
  deadlineHours: { normal: number; complex: number; urgent: number };
  /** hall.waitTargetRate: a visitor is called within this many minutes of taking a number. */
  hallWaitLimitMinutes: number;
  /** hotline.threeRateScore weights (points) of response, resolution and satisfaction. */
  threeRateWeights: { response: number; resolution: number; satisfaction: number };
  /** hotline.supervised repeat: same caller and category within this many days. */
  repeatWindowDays: number;
}

export const DEFAULT_SETTINGS: Settings = {
  countBasicallySatisfied: true,
  signLimitMinutes: 120,
  normalResponseLimitMinutes: 60,
  complexScreeningLimitMinutes: 24 * 60,
  deadlineHours: { normal: 5 * 24, complex: 15 * 24, urgent: 24 },
  hallWaitLimitMinutes: 30,
  threeRateWeights: { response: 30, resolution: 35, satisfaction: 35 },
  repeatWindowDays: 30,
};
