export { addressTables, createAddressBook, feedbackDetailOf, type AddressBook } from './addresses';
export { createFeedbackQueue, createFeedbackSender, feedbackOutboxTables } from './feedback';
export { zorgdomeinRoutes } from './api';
export { createInbox, inboxTables, type Inbox } from './inbox';
