export { createAddressBook, feedbackDetailOf, migrateAddresses, type AddressBook } from './addresses';
export { createFeedbackQueue, createFeedbackSender, migrateFeedbackOutbox } from './feedback';
export { zorgdomeinRoutes } from './api';
export { createInbox, migrateInbox, type Inbox } from './inbox';
