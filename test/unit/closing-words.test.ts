/**
 * S-14: the wording classifier that decides whether a customer's reply closes the ticket. Only a clear
 * confirmation that the problem is solved closes; questions, conditions, hopes, "but"s, further
 * requests and agreement with a plan go back to the agent.
 */
import {
  confirmsBooking,
  confirmsResolution,
  confirmsResolutionLegacy,
  ownWords,
} from '../../src/workflows/customer-reply';

const confirmations = [
  'Thanks, that worked!',
  'That worked, thank you so much.',
  "It's working now, thanks!",
  'Works now. You can close this.',
  'Yes, the issue is resolved.',
  'The problem has been fixed, thanks for the quick help.',
  'Problem solved!',
  'Issue resolved, thank you.',
  'All set, thanks!',
  'All good now, please close the ticket.',
  'Feel free to close this one.',
  'Confirmed.',
  'Fixed!',
  'That did the trick.',
  'Your fix worked, the proposals generate again.',
  'The financing tab loads fine now.',
  'The new product shows up now. Thanks!',
  'Everything is sorted out, thanks team.',
  'It’s fixed now, thank you',
  'Training is booked for Tuesday at 10.',
  'I booked a session with Dana for next week.',
  'Appointment booked, thanks',
  'It works for me now.',
  'This is resolved, no further help needed.',
  'Thanks, that worked!\n\nOn Tue, Dec 1, 2026 at 10:02 AM Support <support@sighten.io> wrote:\n> Does that work for you? Please let us know.',
];

const notConfirmations = [
  'Does that work?',
  'Approved?',
  'Is it fixed?',
  'Did that work for you?',
  'Great, that works for us',
  'That works for me, go ahead with the change.',
  'If that works, you can close it.',
  'Once the CS team is done, it will be resolved.',
  'That should fix it, I will test tomorrow.',
  'Thanks, I will try it and let you know.',
  'Thanks!',
  'Thank you',
  'ok',
  'Still not working.',
  "It doesn't work.",
  'It worked, but now the PDF export is broken.',
  'That worked. Also, can you add Bob as a user?',
  'Thanks, that worked! One more thing: please add our new office.',
  'It works now for most users, however Ann still sees the error.',
  'Hopefully that fixed it.',
  'I think it is fixed.',
  'It seems to be working now.',
  'Not resolved yet.',
  'Fixed? Not for me.',
  'Works fine as long as I stay on Chrome.',
  'We will book the training once our new hires start.',
  "We haven't booked the training yet.",
  'Can I book the training for next week?',
  'Resolved for the first project; another project has the same problem.',
  '',
];

describe('S-14 confirmsResolution', () => {
  test.each(confirmations)('closes on %j', (body) => {
    expect(confirmsResolution(body)).toBe(true);
  });
  test.each(notConfirmations)('does not close on %j', (body) => {
    expect(confirmsResolution(body)).toBe(false);
  });
});

test('the quoted e-mail below a reply is not the customer’s words', () => {
  expect(ownWords('All good now.\n> Does that work?\n> Regards')).toBe('All good now.');
  expect(ownWords('Fixed.\nOn Mon, Nov 30 Support wrote:\nIs it fixed?')).toBe('Fixed.');
});

test('the classifier runs recorded before December 2026 took "that works for us" as a confirmation', () => {
  // Kept for replay (patch closing-words): the new classifier refuses it.
  expect(confirmsResolutionLegacy('Great, that works for us')).toBe(true);
  expect(confirmsResolution('Great, that works for us')).toBe(false);
});

describe('R-22 booking words (patch training-booking-words)', () => {
  test.each([
    'Yes - we booked Tuesday 10am. Thanks for the help!',
    'All booked, thanks',
    "We've scheduled it with Dana for Thursday.",
    'Yep, booked!',
    "It's booked for next Monday.",
  ])('"%s" says the training is booked', (reply) => {
    expect(confirmsBooking(reply)).toBe(true);
  });

  test.each([
    "We haven't booked yet",
    'Not booked yet, the calendar shows no free slots',
    'We will book once the new hires start',
    'Can we book a time next week?',
    'We booked a call but need another one for the installers',
  ])('"%s" is not a booking confirmation', (reply) => {
    expect(confirmsBooking(reply)).toBe(false);
  });
});

describe('S-14 more confirmation words (patch confirm-words-more)', () => {
  test.each([
    'Confirmed, it shows 30% now. Thanks!',
    'Fixed, thank you!',
    'I can confirm that, thanks',
    'Works. Thanks!',
  ])('"%s" confirms with the patch, not without', (reply) => {
    expect(confirmsResolution(reply, { moreWords: true })).toBe(true);
    expect(confirmsResolution(reply)).toBe(false);
  });

  test.each([
    'Confirmed, but the state credit is still wrong',
    'Fixed? It still shows 26% for me',
    'I can confirm whether it works tomorrow',
    'Confirmed the issue happens on every proposal',
  ])('"%s" does not confirm', (reply) => {
    expect(confirmsResolution(reply, { moreWords: true })).toBe(false);
  });
});
