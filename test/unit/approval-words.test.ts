/**
 * E-13: the wording classifier for approvals to push an onboarding live. Only a statement of approval
 * counts: not a question, not a condition, not a refusal; and a message that asks for something else
 * besides is told apart (its ticket is linked, not closed).
 */
import { readApproval } from '../../src/workflows/approval-words';

const approvals = [
  'Approved.',
  'Approved - please push Bright Horizon live.',
  'Approved, go ahead.',
  'Hi team,\n\nCedar Ridge Solar is approved - you can push the products live.\n\nThanks,\nDavid',
  'Cedar Ridge Solar is approved, please push it live.\n\nDavid',
  'You have my approval to push Summit Solar live.',
  'OK to push live.',
  'Good to go for Northwind Power Partners. Thanks!',
  'Green light from me, push them live.',
];

const notApprovals = [
  'Approved?',
  'Is Cedar Ridge Solar approved?',
  'Can we push it live?',
  'Approved once the signed contract is in.',
  'Approved if the state license checks out.',
  'It is approved pending the credit review.',
  'Please hold off on going live for Cedar Ridge Solar until Friday, it is not approved yet.',
  'Not approved.',
  "Don't push it live yet.",
  'We should push it live next week.',
  'Thanks for the update, I will look at it tomorrow.',
  'Approved. Actually, please wait until Monday before pushing live.',
  '',
];

describe('E-13 readApproval().approves', () => {
  test.each(approvals)('an approval: %j', (text) => {
    expect(readApproval(text).approves).toBe(true);
  });
  test.each(notApprovals)('not an approval: %j', (text) => {
    expect(readApproval(text).approves).toBe(false);
  });
});

describe('E-13 readApproval().asksMore', () => {
  test.each([
    'Approved. Also, can you add Tim as a user on their account?',
    'Approved - push it live. Could you send me the product list?',
    'Approved.\nWe need the Virginia product added too.',
  ])('asks for more: %j', (text) => {
    const r = readApproval(text);
    expect(r.approves).toBe(true);
    expect(r.asksMore).toBe(true);
    expect(r.requests.length).toBeGreaterThan(0);
  });
  test.each(approvals)('asks for nothing else: %j', (text) => {
    expect(readApproval(text).asksMore).toBe(false);
  });
});
