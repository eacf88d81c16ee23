"""Use cases. Each is an async function taking a unit of work, an actor, a command and a clock;
it checks authorization, changes the domain, writes audit entries, and commits once."""
