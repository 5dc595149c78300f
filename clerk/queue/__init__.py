"""Queue calling: the calling policy, ticket numbering, the ticket state machine and claims."""
