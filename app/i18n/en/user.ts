// "user.*" messages in English.
import type { userZhCN } from "../zh-CN/user";

export const userEn: Record<keyof typeof userZhCN, string> = {
  "user.title": "Users of {org}",
  "user.name": "Name",
  "user.login": "Account (e-mail or mobile)",
  "user.role": "Role",
  "user.phone": "Phone",
  "user.add": "Add user",
  "user.add_hint":
    "An existing account is bound to this organisation; otherwise a new account is created with a one-time password that is shown only once.",
  "user.added": "User added.",
  "user.removed": "User removed.",
  "user.none": "This organisation has no users yet.",
  "user.remove_confirm": 'Remove the user "{name}"?',
  "user.one_time_password":
    "A new account was created for {login}. Its one-time password (shown only now; hand it over in person; it must be changed at first login):",
  "user.pending_first_login": "first login pending",
  "user.already_bound":
    "This account is already bound to an organisation in this sitting. An account can be bound to one organisation only.",
  "user.email_format": "The e-mail address is not valid.",
  "user.login_format": "Enter a valid e-mail address or an 11-digit mobile number.",
  "user.login_required": "Enter an e-mail address or mobile number.",
  "user.name_required": "Enter a name.",
  "user.not_self_delete": "You cannot delete your own account.",
  "user.not_self_role": "You cannot change your own role.",
  "user.role_level": "Invigilators belong to a site.",
};
