/** The room of an account's own sockets: its notices' unread count goes there, on every node (ADR 023). */
export const userRoom = (userId: string) => `user:${userId}`;
