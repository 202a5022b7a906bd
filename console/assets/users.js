// The console's 用户 page (admins): every user with their role, and forms to add a user, change a
// role, reset a password and remove a user. The daemon writes them to console-users.yml beside
// the web config file and reloads (api/users.cc); users of the web config file are shown, to be
// changed there.
'use strict';

async function pageUsers() {
  document.title = `${t('users')} · parkwatch`;
  if (SESSION.role !== 'admin') return show(el('h1', {}, t('users')), message('error', t('adminsOnly')));
  const data = await api('/api/v1/users');
  const status = el('div', { id: 'users-status' });
  const act = async (promise, done) => {
    try {
      await promise;
      sessionStorage.setItem('parkwatch.users.done', done);
      await route();
    } catch (err) { status.replaceChildren(message('error', err.message)); }
  };
  const done = sessionStorage.getItem('parkwatch.users.done');
  sessionStorage.removeItem('parkwatch.users.done');
  if (done) status.append(message('ok', done));
  const roleSelect = (value, name) => el('select', { name: name || 'role', 'aria-label': t('role') },
    ['viewer', 'operator', 'admin'].map(r => el('option', { value: r, selected: r === value }, t('role_' + r))));
  const rows = data.users.map(u => {
    const name = encodeURIComponent(u.user);
    if (!u.managed)
      return [u.user, t('role_' + u.role), el('span', { class: 'muted' }, tf('inWebConfig', { file: (data.web_config_file || '').split('/').pop() })), ''];
    const role = roleSelect(u.role);
    const password = el('input', { type: 'password', name: 'password', placeholder: t('newPassword'), size: 12, autocomplete: 'new-password' });
    return [u.user, role, t('managedHere'), el('span', { class: 'filters user-actions', 'data-user': u.user },
      el('button', { type: 'button', class: 'set-role', onclick: () => act(api('/api/v1/users/' + name, { method: 'PUT',
        body: { role: role.value, hash: data.hash } }), tf('roleChanged', { user: u.user, role: t('role_' + role.value) })) }, t('changeRole')),
      password,
      el('button', { type: 'button', class: 'set-password', onclick: () => act(api('/api/v1/users/' + name, { method: 'PUT',
        body: { password: password.value, hash: data.hash } }), tf('passwordReset', { user: u.user })) }, t('resetPassword')),
      el('button', { type: 'button', class: 'remove-user', onclick: () => {
        if (confirm(tf('confirmRemove', { user: u.user })))
          act(api(`/api/v1/users/${name}?hash=${data.hash}`, { method: 'DELETE' }), tf('userRemoved', { user: u.user }));
      } }, t('removeUser')))];
  });
  const form = el('form', { class: 'filters', id: 'add-user' },
    el('input', { name: 'user', placeholder: t('user'), required: true, size: 12, autocomplete: 'off' }),
    roleSelect('viewer'),
    el('input', { name: 'password', type: 'password', placeholder: t('passwordMin'), required: true, size: 16, autocomplete: 'new-password' }),
    el('button', { class: 'primary', type: 'submit' }, t('addUser')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = form.elements;
    act(api('/api/v1/users', { method: 'POST', body: { user: f.user.value.trim(), role: f.role.value, password: f.password.value, hash: data.hash } }),
      tf('userAdded', { user: f.user.value.trim(), role: t('role_' + f.role.value) }));
  });
  show(el('h1', {}, t('users')), status,
    data.file ? el('div', { class: 'card' }, el('h2', { class: 'flush' }, t('addUser')), form,
      el('p', { class: 'muted' }, t('rolesExplained'))) : message('error', t('noWebConfig')),
    el('h2', {}, `${t('users')}（${data.users.length}）`),
    table([t('user'), t('role'), t('source'), ''], rows));
}
