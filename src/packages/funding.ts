import { and, eq, sql } from 'drizzle-orm';
import { donations, packageUnits } from '../db/schema';
import type { Db } from '../db/types';
import { conflict, invalid, notFound } from '../http/problem';
import type { Logger } from '../lib/log';
import type { Payments } from '../payments/stripe';
import { createCheckout } from '../giving/checkout';
import { recordRefund, refundedTotal, type RecordContext } from '../giving/donations';
import { recordOfflineGift, type OfflineChannel } from '../giving/gifts';
import { ensureGeneralFund } from '../giving/campaigns';
import { transferBetweenFunds } from '../giving/ledger';
import { getDrive } from './drives';
import { insertUnits, moneyAccountForChannel, nextUnitNo, recordUnitEvent, type PackageDrive } from './units';
import { localized } from '../ui/i18n';

/*
 * Funding packages: online (Stripe Checkout with a quantity, through the giving flow), offline
 * (staff record a cash, transfer or cheque gift for N packages), or by allocating part of a gift
 * already received; and cancelling a funded unit (refund, or move its money elsewhere).
 */

const MAX_QUANTITY = 1000;

function checkQuantity(q: number) {
  if (!Number.isInteger(q) || q < 1 || q > MAX_QUANTITY) throw invalid('The number of packages is invalid.', [{ path: 'quantity', message: `1 to ${MAX_QUANTITY}` }]);
}

function assertOpen(drive: PackageDrive) {
  if (drive.status === 'closed') throw conflict('This drive is closed; it takes no more gifts.');
}

/** Staff record an offline gift of quantity × unit value that funds `quantity` units of the drive. */
export async function recordOfflinePackageGift(
  db: Db,
  orgId: string,
  driveId: string,
  input: { donorId?: string | null; channel: OfflineChannel; quantity: number; receivedOn: string; reference?: string | null; anonymous?: boolean; note?: string | null; createdBy?: string | null },
  ctx: RecordContext & { today: string },
) {
  const drive = await getDrive(db, orgId, driveId);
  assertOpen(drive);
  checkQuantity(input.quantity);
  const donation = await recordOfflineGift(
    db,
    orgId,
    {
      donorId: input.donorId ?? null,
      campaignId: drive.campaignId,
      fundId: drive.fundId,
      channel: input.channel,
      amountMinor: drive.unitValueMinor * BigInt(input.quantity),
      currency: drive.currency,
      receivedOn: input.receivedOn,
      reference: input.reference ?? null,
      anonymous: input.anonymous ?? false,
      note: input.note ?? null,
      createdBy: input.createdBy ?? null,
      purpose: { kind: 'package_drive', driveId: drive.id, quantity: input.quantity },
      quantity: input.quantity,
    },
    ctx,
  );
  return donation;
}

/** A donor pays for `quantity` packages by card; the webhook creates the units (exactly once). */
export async function startPackageCheckout(
  db: Db,
  payments: Payments | null,
  orgId: string,
  driveId: string,
  input: { name: string; email: string; locale: 'vi' | 'en'; anonymous?: boolean; emailConsent?: boolean; quantity: number; successUrl: string; cancelUrl: string },
  deps: { logger: Logger },
) {
  const drive = await getDrive(db, orgId, driveId);
  if (drive.status !== 'active') throw conflict('This drive is not taking gifts now.');
  checkQuantity(input.quantity);
  return createCheckout(
    db,
    payments,
    {
      orgId,
      campaignId: drive.campaignId,
      fundId: drive.fundId,
      donor: { name: input.name, email: input.email, locale: input.locale, anonymous: input.anonymous, emailConsent: input.emailConsent },
      currency: drive.currency,
      unitAmountMinor: drive.unitValueMinor,
      quantity: input.quantity,
      interval: 'once',
      purpose: { kind: 'package_drive', driveId: drive.id, quantity: input.quantity },
      productName: localized(input.locale, drive.titleVi, drive.titleEn),
      successUrl: input.successUrl,
      cancelUrl: input.cancelUrl,
    },
    deps,
  );
}

/**
 * Turns part of a gift already received (e.g. a group's transfer "for 25 packages" recorded
 * against the campaign) into units of a drive: the money moves from the gift's fund to the
 * drive's fund by a balanced ledger transfer, and the units are created with it. The donation
 * row is locked, so the same money cannot be allocated twice.
 */
export async function allocateDonationToDrive(db: Db, orgId: string, input: { donationId: string; driveId: string; quantity: number; actorId?: string | null; now: Date }) {
  checkQuantity(input.quantity);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    await tx.execute(sql`select id from donations where id = ${input.donationId} and org_id = ${orgId} for update`);
    const [d] = await tx.select().from(donations).where(and(eq(donations.orgId, orgId), eq(donations.id, input.donationId)));
    if (!d) throw notFound('Donation');
    const drive = await getDrive(tx, orgId, input.driveId);
    if (d.currency !== drive.currency) throw invalid('The gift is in another currency than the drive.', [{ path: 'donationId', message: `not in ${drive.currency}` }]);
    const [used] = await tx
      .select({ total: sql<string>`coalesce(sum(${packageUnits.valueMinor}), 0)::text` })
      .from(packageUnits)
      .where(and(eq(packageUnits.donationId, d.id), sql`${packageUnits.status} <> 'cancelled'`));
    const free = d.amountMinor - (await refundedTotal(tx, d.id)) - BigInt(used?.total ?? '0');
    const amount = drive.unitValueMinor * BigInt(input.quantity);
    if (amount > free) throw conflict('The gift does not cover that many packages.', { errors: [{ path: 'quantity', message: `at most ${free / drive.unitValueMinor}` }] });
    const account = moneyAccountForChannel(d.channel);
    if (d.fundId !== drive.fundId) {
      await transferBetweenFunds(tx, orgId, {
        fromFundId: d.fundId,
        toFundId: drive.fundId,
        amountMinor: amount,
        currency: d.currency,
        account: account as 'bank',
        key: `allocate:${d.id}:${await nextUnitNo(tx, d.id)}`,
        memo: 'gift allocated to a package drive',
        createdBy: input.actorId ?? null,
        occurredAt: input.now,
      });
    }
    return insertUnits(tx, drive, d, input.quantity, await nextUnitNo(tx, d.id), account, input.actorId ?? null, input.now);
  });
}

export type CancelAction = { kind: 'refund' } | { kind: 'general_fund' } | { kind: 'move_to_drive'; driveId: string };

/**
 * Cancels a funded (not yet matched) unit with a reason, and does something explicit with its
 * money, always as balanced ledger postings:
 * - refund: the money goes back to the donor (an offline refund with a corrected receipt; card
 *   gifts are refunded in Stripe and arrive by webhook);
 * - general_fund: re-designated to the general fund (with the donor's agreement);
 * - move_to_drive: moved to another drive's fund, where it becomes a funded unit when the value
 *   matches (otherwise it shows there as surplus).
 */
export async function cancelUnit(db: Db, orgId: string, input: { unitId: string; action: CancelAction; reason: string; actorId: string | null; now: Date }, ctx: RecordContext) {
  if (!input.reason.trim()) throw invalid('Say why the package is cancelled.', [{ path: 'reason', message: 'required' }]);
  return db.transaction(async (txx) => {
    const tx = txx as unknown as Db;
    const [unit] = await tx
      .update(packageUnits)
      .set({ status: 'cancelled', cancelledAt: input.now })
      .where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.id, input.unitId), eq(packageUnits.status, 'funded')))
      .returning();
    if (!unit) {
      const [exists] = await tx.select({ status: packageUnits.status }).from(packageUnits).where(and(eq(packageUnits.orgId, orgId), eq(packageUnits.id, input.unitId)));
      if (!exists) throw notFound('Package unit');
      throw conflict(`Only a funded package that is not matched can be cancelled; this one is ${exists.status}.`);
    }
    const drive = await getDrive(tx, orgId, unit.driveId);
    const [d] = await tx.select().from(donations).where(eq(donations.id, unit.donationId));
    const data: Record<string, unknown> = { action: input.action.kind };
    const account = unit.moneyAccount as 'bank' | 'cash' | 'stripe_balance';
    if (input.action.kind === 'refund') {
      if (d!.channel === 'stripe') throw conflict('Card gifts are refunded in Stripe; the refund arrives here by webhook.');
      // The refund is booked on the gift's fund: bring the money back there first if it was allocated.
      if (d!.fundId !== drive.fundId) {
        await transferBetweenFunds(tx, orgId, { fromFundId: drive.fundId, toFundId: d!.fundId, amountMinor: unit.valueMinor, currency: unit.currency, account, key: `unit-cancel-return:${unit.id}`, createdBy: input.actorId, occurredAt: input.now });
      }
      const r = await recordRefund(tx, { orgId, donationId: d!.id, amountMinor: unit.valueMinor, reason: `package cancelled: ${input.reason.trim()}`.slice(0, 300), refundedAt: input.now, createdBy: input.actorId }, ctx);
      data.refundId = r.refundId;
    } else if (input.action.kind === 'general_fund') {
      const general = await ensureGeneralFund(tx, orgId);
      await transferBetweenFunds(tx, orgId, { fromFundId: drive.fundId, toFundId: general.id, amountMinor: unit.valueMinor, currency: unit.currency, account, key: `unit-cancel:${unit.id}`, memo: 'package re-designated to the general fund', createdBy: input.actorId, occurredAt: input.now });
      data.toFundId = general.id;
    } else {
      const target = await getDrive(tx, orgId, input.action.driveId).catch(() => null);
      if (!target || target.id === drive.id) throw invalid('Choose another drive.', [{ path: 'targetDriveId', message: 'unknown drive' }]);
      if (target.currency !== unit.currency) throw invalid('The other drive is in another currency.', [{ path: 'targetDriveId', message: `not in ${unit.currency}` }]);
      if (target.status === 'closed') throw conflict('The other drive is closed.');
      await transferBetweenFunds(tx, orgId, { fromFundId: drive.fundId, toFundId: target.fundId, amountMinor: unit.valueMinor, currency: unit.currency, account, key: `unit-cancel:${unit.id}`, memo: 'package moved to another drive', createdBy: input.actorId, occurredAt: input.now });
      data.toDriveId = target.id;
      if (target.unitValueMinor === unit.valueMinor) {
        await insertUnits(tx, target, { id: unit.donationId }, 1, await nextUnitNo(tx, unit.donationId), unit.moneyAccount, input.actorId, input.now, unit.id);
        data.newUnit = true;
      }
    }
    await recordUnitEvent(tx, { orgId, unitId: unit.id, kind: 'cancelled', from: 'funded', to: 'cancelled', reason: input.reason.trim().slice(0, 500), data, actorId: input.actorId, at: input.now });
    return { unit, data };
  });
}
