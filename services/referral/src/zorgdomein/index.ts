export { createAddressBook, migrateAddresses, type AddressBook } from './addresses';
export { zorgdomeinRoutes } from './api';
export { createInbox, migrateInbox, type Inbox } from './inbox';
