import { and, eq } from 'drizzle-orm';
import { campaigns, donors, type DonationChannel } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid } from '../http/problem';
import { ensureGeneralFund, getFund } from './campaigns';
import { recordDonation, type RecordContext } from './donations';
import { isCurrency } from './money';

export const OFFLINE_CHANNELS = ['cash', 'bank_transfer', 'cheque'] as const satisfies readonly DonationChannel[];
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];

export interface OfflineGiftInput {
  donorId?: string | null;
  campaignId?: string | null;
  /** Defaults to the campaign's fund, else the general fund. */
  fundId?: string | null;
  channel: OfflineChannel;
  amountMinor: bigint;
  currency: string;
  /** YYYY-MM-DD, the day the money arrived (Vietnam time). */
  receivedOn: string;
  /** Bank transaction id, cheque number or receipt-book number: recorded once. */
  reference?: string | null;
  anonymous?: boolean;
  note?: string | null;
  createdBy?: string | null;
  /** What the gift pays for, e.g. { kind: 'package_drive', driveId, quantity } (gift packages). */
  purpose?: Record<string, unknown> | null;
  quantity?: number;
}

/** Start of a Vietnamese calendar day as an instant. */
export const vietnamDayStart = (d: string) => new Date(`${d}T00:00:00+07:00`);

/**
 * Finance staff record cash, bank-transfer and cheque gifts. The reference is the gift's
 * identity: the same bank transaction or cheque cannot be recorded twice (409).
 */
export async function recordOfflineGift(db: Db, orgId: string, input: OfflineGiftInput, ctx: RecordContext & { today: string }) {
  const errors: { path: string; message: string }[] = [];
  if (!OFFLINE_CHANNELS.includes(input.channel)) errors.push({ path: 'channel', message: 'cash, bank_transfer or cheque' });
  if (!isCurrency(input.currency)) errors.push({ path: 'currency', message: 'one of VND, USD, JPY, EUR' });
  if (input.amountMinor <= 0n) errors.push({ path: 'amount', message: 'must be positive' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.receivedOn) || Number.isNaN(vietnamDayStart(input.receivedOn).getTime())) errors.push({ path: 'receivedOn', message: 'a date (YYYY-MM-DD)' });
  else if (input.receivedOn > ctx.today) errors.push({ path: 'receivedOn', message: 'in the future' });
  const reference = input.reference?.trim() || null;
  if ((input.channel === 'bank_transfer' || input.channel === 'cheque') && !reference) errors.push({ path: 'reference', message: 'required for bank transfers and cheques' });
  if (reference && reference.length > 100) errors.push({ path: 'reference', message: 'at most 100 characters' });
  let fundId = input.fundId ?? null;
  if (input.campaignId) {
    const [c] = await db.select().from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.id, input.campaignId)));
    if (!c) errors.push({ path: 'campaignId', message: 'unknown campaign' });
    else {
      // A package drive of the campaign holds its own restricted fund.
      if (fundId && fundId !== c.fundId && input.purpose?.kind !== 'package_drive') errors.push({ path: 'fundId', message: "not this campaign's fund" });
      if (input.purpose?.kind !== 'package_drive' || !fundId) fundId = c.fundId;
      if (isCurrency(input.currency) && input.currency !== c.currency) errors.push({ path: 'currency', message: `the campaign is in ${c.currency}` });
    }
  }
  if (input.donorId) {
    const [d] = await db.select({ id: donors.id, merged: donors.mergedIntoId }).from(donors).where(and(eq(donors.orgId, orgId), eq(donors.id, input.donorId)));
    if (!d) errors.push({ path: 'donorId', message: 'unknown donor' });
    else if (d.merged) errors.push({ path: 'donorId', message: 'this donor was merged into another' });
  }
  if (fundId && !input.campaignId) {
    try {
      await getFund(db, orgId, fundId);
    } catch {
      errors.push({ path: 'fundId', message: 'unknown fund' });
    }
  }
  if (errors.length) throw invalid('The gift has invalid fields.', errors);
  if (!fundId) fundId = (await ensureGeneralFund(db, orgId)).id;
  const { donation, created } = await recordDonation(
    db,
    {
      orgId,
      donorId: input.donorId ?? null,
      campaignId: input.campaignId ?? null,
      fundId,
      channel: input.channel,
      amountMinor: input.amountMinor,
      currency: input.currency,
      receivedAt: vietnamDayStart(input.receivedOn),
      anonymous: input.anonymous ?? false,
      externalId: reference,
      note: input.note?.trim() || null,
      createdBy: input.createdBy ?? null,
      purpose: input.purpose ?? null,
      quantity: input.quantity ?? 1,
    },
    ctx,
  );
  if (!created) throw conflict('A gift with this reference is already recorded.', { errors: [{ path: 'reference', message: 'already recorded' }], donationId: donation.id });
  return donation;
}
