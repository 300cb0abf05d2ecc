import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';

export interface AppUser {
  provider: string;
  id: string;
  displayName: string;
  /** Set by the `validate(accessToken, refreshToken, params, profile)` form: `params` is the token response. */
  tokenResponse?: boolean;
}

/** The app's user store (a database in a real app). */
@Injectable()
export class UsersService {
  private readonly users = new Map<string, AppUser>();

  async upsert(profile: { provider: string; id: string; displayName: string }, extra: Partial<AppUser> = {}): Promise<AppUser> {
    const user: AppUser = { provider: profile.provider, id: profile.id, displayName: profile.displayName, ...extra };
    this.users.set(UsersService.key(user), user);
    return user;
  }

  async find(key: string): Promise<AppUser | undefined> {
    return this.users.get(key);
  }

  static key(user: AppUser): string {
    return `${user.provider}:${user.id}`;
  }
}

/** What passport keeps in the session: the user's key, looked up again on every request. */
@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }

  serializeUser(user: AppUser, done: (err: Error | null, key?: string) => void): void {
    done(null, UsersService.key(user));
  }

  deserializeUser(key: string, done: (err: unknown, user?: AppUser | null) => void): void {
    this.users.find(key).then((user) => done(null, user ?? null), done);
  }
}
